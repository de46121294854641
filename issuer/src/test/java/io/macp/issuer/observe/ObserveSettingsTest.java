package io.macp.issuer.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macp.issuer.IssuerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObserveSettingsTest {
  @Test
  void defaultsObserveWithTheDocumentedCapNoForwardingAndNoEndpoint() {
    ObserveSettings s = IssuerConfig.defaults().observe();
    assertThat(s).isEqualTo(ObserveSettings.defaults());
    assertThat(s.enabled()).isTrue();
    assertThat(s.maxClients()).isEqualTo(4096);
    assertThat(s.trustForwardedFor()).isFalse();
    assertThat(s.tokenFile()).isNull();
  }

  @Test
  void zeroTurnsObservationOff() {
    List<String> problems = new ArrayList<>();
    ObserveSettings s = ObserveSettings.read(Map.of("MACP_AUTH_OBSERVE_MAX_CLIENTS", "0",
        "MACP_AUTH_OBSERVE_FORWARDED_FOR", "TRUE",
        "MACP_AUTH_OBSERVER_TOKEN_FILE", "/var/run/observer/token"), problems);
    assertThat(problems).isEmpty();
    assertThat(s.enabled()).isFalse();
    assertThat(s.trustForwardedFor()).isTrue();
    assertThat(s.tokenFile()).isEqualTo(Path.of("/var/run/observer/token"));
  }

  @Test
  void badValuesAreAllReportedByTheIssuerConfiguration() {
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of(
        "MACP_AUTH_OBSERVE_MAX_CLIENTS", "70000", "MACP_AUTH_OBSERVE_FORWARDED_FOR", "yes")))
        .isInstanceOf(IssuerConfig.InvalidConfigException.class)
        .hasMessageContaining("MACP_AUTH_OBSERVE_MAX_CLIENTS='70000' must be a whole number from 0")
        .hasMessageContaining("MACP_AUTH_OBSERVE_FORWARDED_FOR='yes' must be true or false");
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of("MACP_AUTH_OBSERVE_MAX_CLIENTS", "-1")))
        .hasMessageContaining("MACP_AUTH_OBSERVE_MAX_CLIENTS");
  }
}
