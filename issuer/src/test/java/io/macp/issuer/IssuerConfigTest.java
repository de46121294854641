package io.macp.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macp.issuer.keys.KeySourceSettings;
import io.macp.issuer.security.SecuritySettings;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.SigningAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IssuerConfigTest {

  @Test
  void defaultsAreTheReferencesPlusOurs() {
    IssuerConfig c = IssuerConfig.fromEnv(Map.of());
    assertThat(c.port()).isEqualTo(3200);
    assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(c.issuer()).isEqualTo("macp-auth-service");
    assertThat(c.audience()).isEqualTo("macp-runtime");
    assertThat(c.maxTtlSeconds()).isEqualTo(3600);
    assertThat(c.defaultTtlSeconds()).isEqualTo(300);
    assertThat(c.keySpec()).isEqualTo(KeySpec.rs256());
    assertThat(c.signingKeyJson()).isNull();
    assertThat(c.keySetFile()).isNull();
    assertThat(c.selfManaged()).isFalse();
    assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.policy()).isEqualTo(RotationPolicy.DEFAULTS);
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.security()).isEqualTo(SecuritySettings.none());
    assertThat(IssuerConfig.defaults()).isEqualTo(c);
  }

  @Test
  void everyVariableIsRead() {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "8443");
    env.put("MACP_AUTH_BIND_ADDRESS", "127.0.0.1");
    env.put("MACP_AUTH_ISSUER", "https://issuer.example");
    env.put("MACP_AUTH_AUDIENCE", "runtime-x");
    env.put("MACP_AUTH_MAX_TTL_SECONDS", "900");
    env.put("MACP_AUTH_DEFAULT_TTL_SECONDS", "60");
    env.put("MACP_AUTH_SIGNING_ALG", "RS256");
    env.put("MACP_AUTH_RSA_KEY_SIZE", "3072");
    env.put("MACP_AUTH_KEYSET_FILE", "/var/run/macp/keys/keyset.json");
    env.put("MACP_AUTH_KEYSET_SELF_MANAGED", "TRUE");
    env.put("MACP_AUTH_KEYSET_POLL_INTERVAL", "250ms");
    env.put("MACP_AUTH_ROTATION_PERIOD", "12h");
    env.put("MACP_AUTH_VERIFIER_CACHE_TTL", "1m");
    env.put("MACP_AUTH_VERIFIER_STALE_GRACE", "30m");
    env.put("MACP_AUTH_PROPAGATION_DELAY", "90s");
    env.put("MACP_AUTH_CLOCK_SKEW", "30s");
    env.put("MACP_AUTH_DRAIN_TIMEOUT", "3s");
    IssuerConfig c = IssuerConfig.fromEnv(env);
    assertThat(c.port()).isEqualTo(8443);
    assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(c.issuer()).isEqualTo("https://issuer.example");
    assertThat(c.audience()).isEqualTo("runtime-x");
    assertThat(c.maxTtlSeconds()).isEqualTo(900);
    assertThat(c.defaultTtlSeconds()).isEqualTo(60);
    assertThat(c.keySpec()).isEqualTo(new KeySpec(SigningAlgorithm.RS256, 3072));
    assertThat(c.keySetFile()).isEqualTo(Path.of("/var/run/macp/keys/keyset.json"));
    assertThat(c.selfManaged()).isTrue();
    assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.policy()).isEqualTo(new RotationPolicy(Duration.ofHours(12),
        Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofSeconds(90),
        Duration.ofSeconds(30), Duration.ofSeconds(900)));
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(3));

    KeySourceSettings s = c.keySourceSettings();
    assertThat(s.keySetFile()).isEqualTo(c.keySetFile());
    assertThat(s.selfManaged()).isTrue();
    assertThat(s.keySpec()).isEqualTo(c.keySpec());
    assertThat(s.policy()).isEqualTo(c.policy());
    assertThat(s.pollInterval()).isEqualTo(c.pollInterval());
  }

  @Test
  void maxTokenTtlOfThePolicyIsTheMaxTtl() {
    IssuerConfig c = IssuerConfig.fromEnv(Map.of("MACP_AUTH_MAX_TTL_SECONDS", "7200"));
    assertThat(c.policy().maxTokenTtl()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void es256NeedsNoRsaSize() {
    IssuerConfig c = IssuerConfig.fromEnv(Map.of("MACP_AUTH_SIGNING_ALG", "ES256"));
    assertThat(c.keySpec()).isEqualTo(KeySpec.es256());
    assertThat(c.algorithm()).isEqualTo(SigningAlgorithm.ES256);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HS256", "rs256", "none", "RS512", "EdDSA"})
  void anyOtherAlgorithmFailsWithAClearMessage(String alg) {
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of("MACP_AUTH_SIGNING_ALG", alg)))
        .isInstanceOf(IssuerConfig.InvalidConfigException.class)
        .hasMessageContaining("MACP_AUTH_SIGNING_ALG")
        .hasMessageContaining("RS256 or ES256");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, String> env = Map.of(
        "PORT", "http",
        "MACP_AUTH_MAX_TTL_SECONDS", "0",
        "MACP_AUTH_RSA_KEY_SIZE", "1024",
        "MACP_AUTH_KEYSET_SELF_MANAGED", "yes",
        "MACP_AUTH_KEYSET_POLL_INTERVAL", "soon",
        "MACP_AUTH_DRAIN_TIMEOUT", "-1s");
    assertThatThrownBy(() -> IssuerConfig.fromEnv(env))
        .hasMessageContaining("PORT='http'")
        .hasMessageContaining("MACP_AUTH_MAX_TTL_SECONDS='0'")
        .hasMessageContaining("MACP_AUTH_RSA_KEY_SIZE")
        .hasMessageContaining("MACP_AUTH_KEYSET_SELF_MANAGED='yes' must be true or false")
        .hasMessageContaining("MACP_AUTH_KEYSET_POLL_INTERVAL")
        .hasMessageContaining("MACP_AUTH_DRAIN_TIMEOUT");
  }

  @Test
  void portRangeIsChecked() {
    assertThat(IssuerConfig.fromEnv(Map.of("PORT", "0")).port()).isZero();
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of("PORT", "65536")))
        .hasMessageContaining("PORT");
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of("PORT", "-1")))
        .hasMessageContaining("PORT");
  }

  @Test
  void defaultTtlAboveTheMaximumIsRefused() {
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of("MACP_AUTH_MAX_TTL_SECONDS", "120",
        "MACP_AUTH_DEFAULT_TTL_SECONDS", "300")))
        .hasMessageContaining("MACP_AUTH_DEFAULT_TTL_SECONDS (300) must not exceed "
            + "MACP_AUTH_MAX_TTL_SECONDS (120)");
  }

  @Test
  void emptyValuesCountAsUnset() {
    IssuerConfig c = IssuerConfig.fromEnv(Map.of("PORT", "", "MACP_AUTH_SIGNING_KEY_JSON", " ",
        "MACP_AUTH_KEYSET_FILE", ""));
    assertThat(c.port()).isEqualTo(3200);
    assertThat(c.signingKeyJson()).isNull();
    assertThat(c.keySetFile()).isNull();
  }

  @Test
  void selfManagedNeedsAFileAndAWorkablePolicy() {
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of("MACP_AUTH_KEYSET_SELF_MANAGED", "true")))
        .hasMessageContaining("needs MACP_AUTH_KEYSET_FILE");
    Map<String, String> shortPeriod = Map.of("MACP_AUTH_KEYSET_SELF_MANAGED", "true",
        "MACP_AUTH_KEYSET_FILE", "/tmp/k.json", "MACP_AUTH_ROTATION_PERIOD", "10m");
    assertThatThrownBy(() -> IssuerConfig.fromEnv(shortPeriod))
        .hasMessageContaining("rotation policy: rotation period 10m is shorter than the lead time");
    // The same policy does not matter when the operator plans the rotations.
    IssuerConfig fileOnly = IssuerConfig.fromEnv(Map.of("MACP_AUTH_KEYSET_FILE", "/tmp/k.json",
        "MACP_AUTH_ROTATION_PERIOD", "10m"));
    assertThat(fileOnly.policy().period()).isEqualTo(Duration.ofMinutes(10));
  }

  /** Issue input 6: RSA-4096, period 1s, maxTtl 3600s grew to 305 keys and refused its own file. */
  @Test
  void selfManagedRefusesAPolicyWhoseKeySetCouldGrowPastTheBound() {
    Map<String, String> env = new java.util.HashMap<>(Map.of("MACP_AUTH_KEYSET_SELF_MANAGED", "true",
        "MACP_AUTH_KEYSET_FILE", "/tmp/k.json", "MACP_AUTH_ROTATION_PERIOD", "1s",
        "MACP_AUTH_MAX_TTL_SECONDS", "3600", "MACP_AUTH_RSA_KEY_SIZE", "4096"));
    for (String zero : new String[] {"MACP_AUTH_VERIFIER_CACHE_TTL", "MACP_AUTH_VERIFIER_STALE_GRACE",
        "MACP_AUTH_PROPAGATION_DELAY", "MACP_AUTH_CLOCK_SKEW"}) {
      env.put(zero, "0s");
    }
    assertThatThrownBy(() -> IssuerConfig.fromEnv(env))
        .hasMessageContaining("keeps up to 3602 keys")
        .hasMessageContaining("more than the limit of 10")
        .hasMessageContaining("make the period at least 7m30s");
    env.put("MACP_AUTH_ROTATION_PERIOD", "7m30s");
    assertThat(IssuerConfig.fromEnv(env).policy().maxPublishedKeys()).isEqualTo(10);
  }

  @Test
  void theSigningKeyIsNeverEchoed() {
    String secret = "{\"kty\":\"EC\",\"d\":\"TOP-SECRET-MATERIAL\"}";
    IssuerConfig c = IssuerConfig.fromEnv(Map.of("MACP_AUTH_SIGNING_KEY_JSON", secret));
    assertThat(c.signingKeyJson()).isEqualTo(secret);
    assertThat(c.toString()).doesNotContain("TOP-SECRET").contains("signingKeyJson=set");
    assertThat(c.keySourceSettings().toString()).doesNotContain("TOP-SECRET");
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of("MACP_AUTH_SIGNING_KEY_JSON", secret,
        "PORT", "x")))
        .message().doesNotContain("TOP-SECRET");
  }

  @Test
  void withPortChangesOnlyThePort() {
    IssuerConfig c = IssuerConfig.fromEnv(Map.of("MACP_AUTH_MINT_POLICY_FILE", "/p.json"));
    assertThat(c.withPort(0)).isEqualTo(IssuerConfig.fromEnv(
        Map.of("PORT", "0", "MACP_AUTH_MINT_POLICY_FILE", "/p.json")));
  }

  @Test
  void securitySettingsAreReadWithTheRest() {
    IssuerConfig c = IssuerConfig.fromEnv(Map.of(
        "MACP_AUTH_MINT_POLICY_FILE", "/etc/macp/mint/policy.json",
        "MACP_AUTH_TLS_CERT_FILE", " /etc/macp/tls/tls.crt ",
        "MACP_AUTH_TLS_KEY_FILE", "/etc/macp/tls/tls.key",
        "MACP_AUTH_SECURITY_POLL_INTERVAL", "5s"));
    assertThat(c.security()).isEqualTo(new SecuritySettings(Path.of("/etc/macp/mint/policy.json"),
        Path.of("/etc/macp/tls/tls.crt"), Path.of("/etc/macp/tls/tls.key"),
        Duration.ofSeconds(5)));
    assertThat(c.toString()).contains("mintPolicyFile=/etc/macp/mint/policy.json");
  }

  @Test
  void securityProblemsAreReportedTogetherWithTheOthers() {
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of(
        "PORT", "x",
        "MACP_AUTH_TLS_CERT_FILE", "/etc/macp/tls/tls.crt",
        "MACP_AUTH_SECURITY_POLL_INTERVAL", "100ms")))
        .isInstanceOf(IssuerConfig.InvalidConfigException.class)
        .hasMessageContaining("PORT='x'")
        .hasMessageContaining("set both MACP_AUTH_TLS_CERT_FILE and MACP_AUTH_TLS_KEY_FILE")
        .hasMessageContaining("MACP_AUTH_SECURITY_POLL_INTERVAL must be at least 1s");
  }

  @Test
  void thePublicPortIsOptionalAndChecked() {
    assertThat(IssuerConfig.defaults().publicPort()).isNull();
    assertThat(IssuerConfig.defaults().splitPorts()).isFalse();
    IssuerConfig c = IssuerConfig.fromEnv(Map.of("MACP_AUTH_PUBLIC_PORT", "3201",
        "MACP_AUTH_PUBLIC_URL", "https://auth.team-a.svc:3201/"));
    assertThat(c.publicPort()).isEqualTo(3201);
    assertThat(c.splitPorts()).isTrue();
    assertThat(c.publicUrl()).isEqualTo("https://auth.team-a.svc:3201");
    assertThat(c.withPort(0).publicPort()).isEqualTo(3201);
    assertThat(c.withPublicPort(0).publicPort()).isZero();
    assertThat(c.withPublicPort(null).splitPorts()).isFalse();
    assertThat(IssuerConfig.fromEnv(Map.of("PORT", "0", "MACP_AUTH_PUBLIC_PORT", "0"))
        .publicPort()).isZero();
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of(
        "MACP_AUTH_PUBLIC_PORT", "3200",
        "MACP_AUTH_PUBLIC_URL", "auth.team-a.svc:3201")))
        .isInstanceOf(IssuerConfig.InvalidConfigException.class)
        .hasMessageContaining("MACP_AUTH_PUBLIC_PORT must differ from PORT (3200)")
        .hasMessageContaining("MACP_AUTH_PUBLIC_URL='auth.team-a.svc:3201' must be an absolute");
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of("MACP_AUTH_PUBLIC_PORT", "70000")))
        .hasMessageContaining("MACP_AUTH_PUBLIC_PORT='70000' must be a whole number from 0");
    assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of(
        "MACP_AUTH_PUBLIC_URL", "http://x.example/?q=1")))
        .hasMessageContaining("MACP_AUTH_PUBLIC_URL");
  }

  @Test
  void controlCharactersInIssuerAndAudienceAreRefusedAtStartup() {
    Map<String, String> env = Map.of(
        "MACP_AUTH_ISSUER", "http://x/\n\u0000evil",
        "MACP_AUTH_AUDIENCE", "aud\u0000\nX");
    assertThatThrownBy(() -> IssuerConfig.fromEnv(env))
        .isInstanceOf(IssuerConfig.InvalidConfigException.class)
        .hasMessageContaining("MACP_AUTH_ISSUER must not contain control characters (found"
            + " U+000A at index 9)")
        .hasMessageContaining("MACP_AUTH_AUDIENCE must not contain control characters (found"
            + " U+0000 at index 3)");
    for (String bad : List.of("a\tb", "a\u007fb", "a\u0085b")) {
      assertThatThrownBy(() -> IssuerConfig.fromEnv(Map.of("MACP_AUTH_AUDIENCE", bad)))
          .as(bad).hasMessageContaining("MACP_AUTH_AUDIENCE must not contain control characters");
    }
    assertThat(IssuerConfig.fromEnv(Map.of("MACP_AUTH_AUDIENCE", "rünt\u00efme")).audience())
        .isEqualTo("rünt\u00efme");
  }
}
