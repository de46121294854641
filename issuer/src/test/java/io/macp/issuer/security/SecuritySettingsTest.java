package io.macp.issuer.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecuritySettingsTest {
  @Test
  void defaultsAreTheReferenceBehaviour() {
    SecuritySettings s = SecuritySettings.fromEnv(Map.of());
    assertThat(s.mintPolicyFile()).isNull();
    assertThat(s.tlsEnabled()).isFalse();
    assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void readsFilesAndInterval() {
    SecuritySettings s = SecuritySettings.fromEnv(Map.of(
        "MACP_AUTH_MINT_POLICY_FILE", "/etc/macp/mint/policy.json",
        "MACP_AUTH_TLS_CERT_FILE", "/etc/macp/tls/tls.crt",
        "MACP_AUTH_TLS_KEY_FILE", "/etc/macp/tls/tls.key",
        "MACP_AUTH_SECURITY_POLL_INTERVAL", "30s"));
    assertThat(s.mintPolicyFile()).isEqualTo(Path.of("/etc/macp/mint/policy.json"));
    assertThat(s.tlsEnabled()).isTrue();
    assertThat(s.tlsKeyFile()).isEqualTo(Path.of("/etc/macp/tls/tls.key"));
    assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesHalfATlsPairAndBadIntervals() {
    assertThatThrownBy(() -> SecuritySettings.fromEnv(Map.of("MACP_AUTH_TLS_CERT_FILE", "/x")))
        .hasMessageContaining("both");
    assertThatThrownBy(() -> SecuritySettings.fromEnv(
        Map.of("MACP_AUTH_SECURITY_POLL_INTERVAL", "soon"))).hasMessageContaining("duration");
    assertThatThrownBy(() -> SecuritySettings.fromEnv(
        Map.of("MACP_AUTH_SECURITY_POLL_INTERVAL", "100ms"))).hasMessageContaining("at least 1s");
  }
}
