package io.macp.issuer.security.policy;

import static io.macp.issuer.security.policy.SharedSecretPolicyTest.assertDenied;
import static org.assertj.core.api.Assertions.assertThat;

import io.macp.issuer.http.MintDecision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnonymousPolicyTest {
  @TempDir Path tmp;

  private PolicyHarness load(String json) throws Exception {
    Path file = tmp.resolve("policy.json");
    Files.writeString(file, json);
    return new PolicyHarness(file);
  }

  @Test
  void noneWithoutClientsIsTheReferenceBehaviour() throws Exception {
    try (PolicyHarness gate = load("{\"authentication\": \"None\"}")) {
      assertThat(gate.reloader.current().isOpen()).isTrue();
      assertThat(gate.decide(null, "agent://anything", Map.of("is_observer", true), 3600))
          .isEqualTo(MintDecision.allow("anonymous"));
      assertThat(gate.decide("Bearer whatever", "x", Map.of(), 1))
          .isEqualTo(MintDecision.allow("anonymous"));
    }
  }

  @Test
  void noneWithAnAnonymousBindingStillLimitsSendersScopesTtlAndRate() throws Exception {
    try (PolicyHarness gate = load("""
        {"authentication": "None",
         "clients": [{"anonymous": true, "senders": ["agent://dev/*"], "maxTtl": "1m",
                      "scopes": {"can_manage_mode_registry": false},
                      "rateLimit": {"requestsPerSecond": 0.5, "burst": 3}}]}
        """)) {
      assertThat(gate.decide(null, "agent://dev/a", Map.of(), 300))
          .isEqualTo(MintDecision.allow("anonymous", 60));
      assertDenied(gate.decide(null, "agent://prod/a", Map.of(), 300), 403, "sender_not_allowed");
      assertDenied(gate.decide(null, "agent://dev/a", Map.of("can_manage_mode_registry", true),
          300), 403, "scope_exceeds_ceiling:can_manage_mode_registry");
      MintDecision limited = gate.decide(null, "agent://dev/a", Map.of(), 300);
      assertDenied(limited, 429, "rate_limited");
      assertThat(((MintDecision.Deny) limited).retryAfterSeconds()).isEqualTo(2);
    }
  }
}
