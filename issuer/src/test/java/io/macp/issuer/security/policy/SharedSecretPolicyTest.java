package io.macp.issuer.security.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.macp.issuer.AuditCapture;
import io.macp.issuer.http.MintDecision;
import io.macp.issuer.security.InvalidPolicyException;
import io.macp.issuer.security.PolicyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SharedSecretPolicyTest {
  static final String ORCH_TOKEN = "orch-token-0123456789abcdef";
  static final String ORCH_NEXT = "orch-token-NEXT-0123456789";
  static final String OTHER_TOKEN = "other-token-0123456789abcd";

  @TempDir Path tmp;
  PolicyFiles policyMount;
  PolicyFiles tokenMount;
  PolicyHarness gate;

  String policy(String maxTtl) {
    return """
        {"authentication": "SharedSecret",
         "sharedSecret": {"tokensDir": "%s"},
         "clients": [
           {"sharedSecret": "orchestrator",
            "senders": ["agent://team-a/*", "agent://risk"],
            "maxTtl": "%s",
            "scopes": {"can_start_sessions": true, "is_observer": false,
                       "can_manage_mode_registry": false, "max_open_sessions": 3,
                       "allowed_modes": ["macp.mode.decision.v1"]},
            "rateLimit": {"requestsPerSecond": 1, "burst": 2}}
         ]}
        """.formatted(tmp.resolve("tokens"), maxTtl);
  }

  @BeforeEach
  void setUp() throws Exception {
    policyMount = new PolicyFiles(Files.createDirectories(tmp.resolve("policy")));
    tokenMount = new PolicyFiles(Files.createDirectories(tmp.resolve("tokens")));
    policyMount.publish(Map.of("policy.json", policy("10m")));
    tokenMount.publish(Map.of("orchestrator", ORCH_TOKEN + "\n", "other", OTHER_TOKEN));
    gate = new PolicyHarness(policyMount.dir().resolve("policy.json"));
  }

  @AfterEach
  void tearDown() {
    gate.close();
  }

  static Map<String, Object> okScopes() {
    return Map.of("max_open_sessions", 1, "allowed_modes", List.of("macp.mode.decision.v1"));
  }

  @Test
  void boundTokenMintsItsSendersWithTheTtlClamped() {
    MintDecision d = gate.decide("Bearer " + ORCH_TOKEN, "agent://team-a/planner", okScopes(), 3600);
    assertThat(d).isEqualTo(MintDecision.allow("secret:orchestrator", 600));
    MintDecision shortTtl = gate.decide("bearer " + ORCH_TOKEN, "agent://risk", okScopes(), 300);
    assertThat(shortTtl).isEqualTo(MintDecision.allow("secret:orchestrator"));
  }

  @Test
  void missingWrongOrMalformedCredentialsAre401() {
    assertDenied(gate.decide(null, "agent://risk", okScopes(), 60), 401, "missing_credentials");
    assertDenied(gate.decide("Bearer wrong-token-0123456789", "agent://risk", okScopes(), 60),
        401, "invalid_credentials");
    assertDenied(gate.decide("Basic " + ORCH_TOKEN, "agent://risk", okScopes(), 60),
        401, "malformed_credentials");
    assertDenied(gate.decide("Bearer " + ORCH_TOKEN + "x", "agent://risk", okScopes(), 60),
        401, "invalid_credentials");
    assertThat(gate.metric("macp_issuer_auth_failures_total{mode=\"SharedSecret\"}")).isEqualTo(4);
    assertThat(gate.metric("macp_issuer_mint_denials_total{reason=\"invalid_credentials\"}"))
        .isEqualTo(2);
  }

  @Test
  void validTokenWithoutBindingIs403() {
    MintDecision d = gate.decide("Bearer " + OTHER_TOKEN, "agent://risk", okScopes(), 60);
    assertDenied(d, 403, "no_client_binding");
    assertThat(d.caller()).isEqualTo("secret:other");
  }

  @Test
  void sendersOutsideTheBindingAre403() {
    for (String sender : List.of("agent://team-b/x", "agent://team-a/x/y",
        "agent://team-a/../team-b/x", "agent://risk ", "agent://RISK")) {
      gate.clock.advance(Duration.ofSeconds(5)); // stay clear of the rate limit
      assertDenied(gate.decide("Bearer " + ORCH_TOKEN, sender, okScopes(), 60),
          403, "sender_not_allowed");
    }
    assertThat(gate.metric("macp_issuer_mint_denials_total{reason=\"sender_not_allowed\"}"))
        .isEqualTo(5);
  }

  @Test
  void scopesAboveTheCeilingAre403WithTheScopeInTheReason() {
    assertDenied(gate.decide("Bearer " + ORCH_TOKEN, "agent://risk",
        Map.of("max_open_sessions", 4, "allowed_modes", List.of("macp.mode.decision.v1")), 60),
        403, "scope_exceeds_ceiling:max_open_sessions");
    assertDenied(gate.decide("Bearer " + ORCH_TOKEN, "agent://risk", Map.of(), 60),
        403, "scope_exceeds_ceiling:max_open_sessions");
  }

  @Test
  void rateLimitAnswers429WithRetryAfterUntilTheBucketRefills() {
    String auth = "Bearer " + ORCH_TOKEN;
    assertThat(gate.decide(auth, "agent://risk", okScopes(), 60)).isInstanceOf(MintDecision.Allow.class);
    assertThat(gate.decide(auth, "agent://risk", okScopes(), 60)).isInstanceOf(MintDecision.Allow.class);
    MintDecision limited = gate.decide(auth, "agent://risk", okScopes(), 60);
    assertDenied(limited, 429, "rate_limited");
    assertThat(((MintDecision.Deny) limited).retryAfterSeconds()).isEqualTo(1);
    assertThat(((MintDecision.Deny) limited).error()).isEqualTo("rate limited");
    // a forbidden request still costs a token: the limit comes before the sender check
    gate.clock.advance(Duration.ofSeconds(1));
    assertThat(gate.decide(auth, "agent://risk", okScopes(), 60)).isInstanceOf(MintDecision.Allow.class);
  }

  @Test
  void tokensRotateWithoutRestart() throws Exception {
    String old = "Bearer " + ORCH_TOKEN;
    String next = "Bearer " + ORCH_NEXT;
    assertDenied(gate.decide(next, "agent://risk", okScopes(), 60), 401, "invalid_credentials");

    tokenMount.publish(Map.of("orchestrator", ORCH_TOKEN, "orchestrator.next", ORCH_NEXT,
        "other", OTHER_TOKEN));
    assertThat(gate.reloader.checkNow()).isTrue();
    assertThat(gate.decide(old, "agent://risk", okScopes(), 60).caller())
        .isEqualTo("secret:orchestrator");
    assertThat(gate.decide(next, "agent://risk", okScopes(), 60))
        .isEqualTo(MintDecision.allow("secret:orchestrator"));

    tokenMount.publish(Map.of("orchestrator.next", ORCH_NEXT, "other", OTHER_TOKEN));
    assertThat(gate.reloader.checkNow()).isTrue();
    gate.clock.advance(Duration.ofSeconds(10));
    assertDenied(gate.decide(old, "agent://risk", okScopes(), 60), 401, "invalid_credentials");
    assertThat(gate.decide(next, "agent://risk", okScopes(), 60))
        .isEqualTo(MintDecision.allow("secret:orchestrator"));
  }

  @Test
  void invalidChangesNeverReplaceTheLastGoodPolicy() throws Exception {
    policyMount.publish(Map.of("policy.json", "{ not json"));
    assertThat(gate.reloader.checkNow()).isFalse();
    assertThat(gate.reloader.checkNow()).isFalse();
    assertThat(gate.metric("macp_issuer_config_reload_failures_total{file=\"mint-policy\"}"))
        .isEqualTo(1); // counted once per distinct problem, not per poll
    assertThat(gate.decide("Bearer " + ORCH_TOKEN, "agent://risk", okScopes(), 3600))
        .isEqualTo(MintDecision.allow("secret:orchestrator", 600));

    tokenMount.publish(Map.of("orchestrator", ORCH_TOKEN));
    policyMount.publish(Map.of("policy.json", policy("2m")));
    assertThat(gate.reloader.checkNow()).isTrue();
    gate.clock.advance(Duration.ofSeconds(10));
    assertThat(gate.decide("Bearer " + ORCH_TOKEN, "agent://risk", okScopes(), 3600))
        .isEqualTo(MintDecision.allow("secret:orchestrator", 120));
    assertDenied(gate.decide("Bearer " + OTHER_TOKEN, "agent://risk", okScopes(), 60),
        401, "invalid_credentials");
  }

  @Test
  void removingTheLastTokenFileRevokesItWithoutRestart() throws Exception {
    assertThat(gate.decide("Bearer " + ORCH_TOKEN, "agent://risk", okScopes(), 60))
        .isEqualTo(MintDecision.allow("secret:orchestrator"));
    try (AuditCapture log = new AuditCapture(MintPolicySource.class.getName())) {
      tokenMount.publish(Map.of());
      assertThat(gate.reloader.checkNow()).isTrue();
      assertThat(gate.reloader.checkNow()).isFalse();
      assertThat(log.events()).singleElement().satisfies(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains("no usable token");
      });
    }
    gate.clock.advance(Duration.ofSeconds(10));
    assertDenied(gate.decide("Bearer " + ORCH_TOKEN, "agent://risk", okScopes(), 60),
        401, "invalid_credentials");
    assertDenied(gate.decide("Bearer " + OTHER_TOKEN, "agent://risk", okScopes(), 60),
        401, "invalid_credentials");
    assertThat(gate.metric("macp_issuer_shared_secret_problems_total{problem=\"no_tokens\"}"))
        .isEqualTo(1); // once per change, not per poll
    assertThat(gate.metric("macp_issuer_config_reload_failures_total{file=\"mint-policy\"}"))
        .isZero();
  }

  @Test
  void aMalformedFileNeverBlocksARemoval() throws Exception {
    try (AuditCapture log = new AuditCapture(MintPolicySource.class.getName())) {
      // "other" is revoked while a bad token and a badly named file appear
      tokenMount.publish(Map.of("orchestrator", ORCH_TOKEN, "broken", "short",
          "bad name", ORCH_NEXT));
      assertThat(gate.reloader.checkNow()).isTrue();
      assertThat(log.events()).extracting(ILoggingEvent::getLevel)
          .containsOnly(Level.WARN).hasSize(2);
      assertThat(log.lines()).anySatisfy(l -> assertThat(l).contains("'broken' skipped"))
          .anySatisfy(l -> assertThat(l).contains("'bad?name' skipped"))
          .allSatisfy(l -> assertThat(l).doesNotContain("short").doesNotContain(ORCH_NEXT));
    }
    assertDenied(gate.decide("Bearer " + OTHER_TOKEN, "agent://risk", okScopes(), 60),
        401, "invalid_credentials");
    assertThat(gate.decide("Bearer " + ORCH_TOKEN, "agent://risk", okScopes(), 60))
        .isEqualTo(MintDecision.allow("secret:orchestrator"));
    assertDenied(gate.decide("Bearer " + ORCH_NEXT, "agent://risk", okScopes(), 60),
        401, "invalid_credentials");
    assertThat(gate.metric("macp_issuer_shared_secret_problems_total{problem=\"bad_token\"}"))
        .isEqualTo(1);
    assertThat(gate.metric("macp_issuer_shared_secret_problems_total{problem=\"bad_name\"}"))
        .isEqualTo(1);

    // fixing the bad file is a change too, and loads it
    tokenMount.publish(Map.of("orchestrator", ORCH_TOKEN, "broken", OTHER_TOKEN));
    assertThat(gate.reloader.checkNow()).isTrue();
    assertThat(gate.decide("Bearer " + OTHER_TOKEN, "agent://risk", okScopes(), 60).caller())
        .isEqualTo("secret:broken");
  }

  @Test
  void aTokenHeldByTwoNamesAuthenticatesNeither() throws Exception {
    try (AuditCapture log = new AuditCapture(MintPolicySource.class.getName())) {
      tokenMount.publish(Map.of("orchestrator", ORCH_TOKEN, "twin", ORCH_TOKEN,
          "other", OTHER_TOKEN));
      assertThat(gate.reloader.checkNow()).isTrue();
      assertThat(log.lines()).hasSize(2)
          .allSatisfy(l -> assertThat(l).contains("[orchestrator, twin] hold the same token")
              .doesNotContain(ORCH_TOKEN));
    }
    assertDenied(gate.decide("Bearer " + ORCH_TOKEN, "agent://risk", okScopes(), 60),
        401, "invalid_credentials");
    assertThat(gate.decide("Bearer " + OTHER_TOKEN, "agent://risk", okScopes(), 60).caller())
        .isEqualTo("secret:other");
    assertThat(gate.metric(
        "macp_issuer_shared_secret_problems_total{problem=\"duplicate_token\"}")).isEqualTo(2);
  }

  @Test
  void unusableTokenFilesAtStartupDenyInsteadOfFailing() throws Exception {
    tokenMount.publish(Map.of("orchestrator", ORCH_TOKEN, "twin", ORCH_TOKEN));
    try (PolicyHarness started = new PolicyHarness(policyMount.dir().resolve("policy.json"))) {
      assertDenied(started.decide("Bearer " + ORCH_TOKEN, "agent://risk", okScopes(), 60),
          401, "invalid_credentials");
      assertThat(started.metric("macp_issuer_shared_secret_problems_total{problem=\"no_tokens\"}"))
          .isEqualTo(1);
    }
    tokenMount.publish(Map.of());
    try (PolicyHarness started = new PolicyHarness(policyMount.dir().resolve("policy.json"))) {
      assertDenied(started.decide("Bearer " + ORCH_TOKEN, "agent://risk", okScopes(), 60),
          401, "invalid_credentials");
    }
  }

  @Test
  void anUnusablePolicyAtStartupFailsWithTheReasonAndNoSecret() throws Exception {
    policyMount.publish(Map.of("policy.json", policy("forever")));
    assertThatThrownBy(() -> new PolicyHarness(policyMount.dir().resolve("policy.json")))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("maxTtl")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(ORCH_TOKEN));
    policyMount.publish(Map.of("policy.json",
        policy("10m").replace(tmp.resolve("tokens").toString(), tmp.resolve("none").toString())));
    assertThatThrownBy(() -> new PolicyHarness(policyMount.dir().resolve("policy.json")))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("cannot read the shared-secret directory");
  }

  public static void assertDenied(MintDecision d, int status, String reason) {
    assertThat(d).isInstanceOf(MintDecision.Deny.class);
    MintDecision.Deny deny = (MintDecision.Deny) d;
    assertThat(deny.status()).isEqualTo(status);
    assertThat(deny.reason()).isEqualTo(reason);
  }
}
