package io.macp.issuer.security.policy;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.security.InvalidPolicyException;
import io.macp.issuer.security.authn.TokenReviewSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MintPolicyReaderTest {
  private static final Path BASE = Path.of("/etc/macp/policy");

  @Test
  void readsAServiceAccountPolicyWithDefaults() throws Exception {
    MintPolicy p = MintPolicyReader.read("""
        {"authentication": "ServiceAccount",
         "serviceAccount": {"audience": "https://issuer.example"},
         "clients": [{"serviceAccount": "team-a/orchestrator", "senders": ["agent://team-a/*"],
                      "maxTtl": "15m",
                      "scopes": {"can_start_sessions": true, "max_open_sessions": 5,
                                 "allowed_modes": ["macp.mode.decision.v1"]},
                      "rateLimit": {"requestsPerSecond": 5, "burst": 10}}]}
        """, BASE);
    assertThat(p.authentication()).isEqualTo(AuthenticationMode.SERVICE_ACCOUNT);
    TokenReviewSettings r = p.tokenReview();
    assertThat(r.apiServer()).isEqualTo(URI.create("https://kubernetes.default.svc"));
    assertThat(r.tokenFile()).isEqualTo(Path.of(TokenReviewSettings.DEFAULT_TOKEN_FILE));
    assertThat(r.caFile()).isEqualTo(Path.of(TokenReviewSettings.DEFAULT_CA_FILE));
    assertThat(r.cacheTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.negativeCacheTtl()).isZero();
    assertThat(r.maxConcurrentReviews()).isEqualTo(8);
    ClientBinding c = p.clients().get(0);
    assertThat(c.caller().value()).isEqualTo("sa:team-a/orchestrator");
    assertThat(c.maxTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.scopes()).isEqualTo(new ScopeCeiling(true, null, null, 5,
        List.of("macp.mode.decision.v1")));
    assertThat(c.rateLimit()).isEqualTo(new RateLimit(5, 10));
  }

  @Test
  void resolvesTheTokenDirectoryAgainstThePolicyFile() throws Exception {
    MintPolicy p = MintPolicyReader.read("""
        {"authentication": "SharedSecret", "sharedSecret": {"tokensDir": "../tokens"},
         "clients": [{"sharedSecret": "ci", "senders": ["agent://ci"]}]}
        """, BASE);
    assertThat(p.sharedSecretDir().normalize()).isEqualTo(Path.of("/etc/macp/tokens"));
    assertThat(p.clients().get(0).scopes()).isEqualTo(ScopeCeiling.unlimited());
  }

  @Test
  void refusesBadPoliciesWithAClearMessage() {
    String ok = "\"clients\": [{\"sharedSecret\": \"ci\", \"senders\": [\"agent://ci\"]}]";
    String secret = "\"authentication\": \"SharedSecret\", \"sharedSecret\": {\"tokensDir\": \"t\"}";
    assertRefused("[]", "JSON object");
    assertRefused("{\"authentication\": \"Basic\"}", "None, SharedSecret, ServiceAccount");
    assertRefused("{" + secret + "}", "clients is empty");
    assertRefused("{" + secret + ", " + ok + ", \"extra\": 1}", "unknown field extra");
    assertRefused("{" + secret + ", \"clients\": [{\"sharedSecret\": \"ci\", \"senders\": []}]}",
        "senders must be a non-empty list");
    assertRefused("{" + secret + ", \"clients\": [{\"serviceAccount\": \"a/b\","
        + " \"senders\": [\"x\"]}]}", "cannot be used with authentication SharedSecret");
    assertRefused("{" + secret + ", \"clients\": [{\"sharedSecret\": \"ci\", \"sharedSecret\": \"x\","
        + " \"senders\": [\"x\"]}]}", "JSON");
    assertRefused("{" + secret + ", \"clients\": [{\"sharedSecret\": \"ci\", \"senders\": [\"x\"]},"
        + " {\"sharedSecret\": \"ci\", \"senders\": [\"y\"]}]}", "bound twice");
    assertRefused("{" + secret + ", \"clients\": [{\"sharedSecret\": \"ci\", \"senders\": [\"x\"],"
        + " \"maxTtl\": \"forever\"}]}", "maxTtl");
    assertRefused("{" + secret + ", \"clients\": [{\"sharedSecret\": \"ci\", \"senders\": [\"x\"],"
        + " \"scopes\": {\"is_observer\": \"no\"}}]}", "is_observer must be true or false");
    assertRefused("{" + secret + ", \"clients\": [{\"sharedSecret\": \"ci\", \"senders\": [\"x\"],"
        + " \"scopes\": {\"allowed_modes\": []}}]}", "allowed_modes must not be empty");
    assertRefused("{" + secret + ", \"clients\": [{\"sharedSecret\": \"ci\", \"senders\": [\"x\"],"
        + " \"rateLimit\": {\"requestsPerSecond\": 0, \"burst\": 1}}]}", "positive");
    assertRefused("{" + secret + ", \"clients\": [{\"sharedSecret\": \"ci\", \"senders\": [\"a/../b\"]}]}",
        "sender pattern");
    assertRefused("{\"authentication\": \"ServiceAccount\", \"serviceAccount\": {},"
        + " \"clients\": [{\"serviceAccount\": \"a/b\", \"senders\": [\"x\"]}]}", "audience");
    assertRefused("{\"authentication\": \"ServiceAccount\", \"serviceAccount\": {\"audience\": \"a\","
        + " \"cacheTtl\": \"1h\"}, \"clients\": [{\"serviceAccount\": \"a/b\", \"senders\": [\"x\"]}]}",
        "cacheTtl");
    for (String cap : List.of("0", "257", "1.5", "\"8\"")) {
      assertRefused("{\"authentication\": \"ServiceAccount\", \"serviceAccount\":"
          + " {\"audience\": \"a\", \"maxConcurrentReviews\": " + cap + "},"
          + " \"clients\": [{\"serviceAccount\": \"a/b\", \"senders\": [\"x\"]}]}",
          "maxConcurrentReviews");
    }
    assertRefused("{\"authentication\": \"ServiceAccount\", \"serviceAccount\": {\"audience\": \"a\"},"
        + " \"clients\": [{\"serviceAccount\": \"Team/B\", \"senders\": [\"x\"]}]}", "ServiceAccount");
    assertRefused("{\"authentication\": \"None\", \"clients\": [{\"anonymous\": false,"
        + " \"senders\": [\"x\"]}]}", "anonymous must be true");
  }

  private static void assertRefused(String json, String message) {
    assertThatThrownBy(() -> MintPolicyReader.read(json, BASE))
        .as(json).isInstanceOf(InvalidPolicyException.class).hasMessageContaining(message);
  }
}
