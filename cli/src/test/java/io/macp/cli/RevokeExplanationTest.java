package io.macp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl macp revoke} promises, on fixed statuses at a fixed instant. The default
 * policy: D = 2m, C = 5m, lead time L = D + C + G + K = 1h8m. Found by a first user: the CLI said
 * the key left the JWKS at once and that its successor "signs now", while replicas served the
 * revoked key ~45s more and signed with it; and it said verifiers "already know" a successor
 * published 3s earlier.
 */
class RevokeExplanationTest {
  static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
  static final String ACTIVE = "M2PN-active";
  static final String NEXT = "C8RR-next";

  static KeyStatus key(String kid, String phase, Instant createdAt) {
    KeyStatus k = new KeyStatus();
    k.setKid(kid);
    k.setPhase(phase);
    k.setCreatedAt(createdAt.toString());
    return k;
  }

  static MacpIssuer issuer(String activeKid, Duration successorAge) {
    MacpIssuer issuer = new MacpIssuer();
    MacpIssuerStatus status = new MacpIssuerStatus();
    status.setActiveKid(activeKid);
    status.setKeys(List.of(key(ACTIVE, "Active", NOW.minus(Duration.ofHours(30))),
        key(NEXT, "Published", NOW.minus(successorAge))));
    issuer.setStatus(status);
    return issuer;
  }

  @Test
  void revokingSaysTheKeyLeavesTheJwksWithinThePropagationDelayNotAtOnce() {
    MacpIssuer issuer = issuer(ACTIVE, Duration.ofHours(2));
    String text = RevokeCommand.explain(issuer, issuer.getStatus().getKeys().get(0), NOW);
    assertThat(text).doesNotContain("at once")
        .contains("leaves the issuers' JWKS within 2m")
        .contains("replicas may still publish and sign with it until then")
        // now + D + C, the bound of the operator's KeyRevoked event
        .contains("stop verifying by 2026-11-30T08:07:00Z");
  }

  @Test
  void aSuccessorPublishedSecondsAgoIsNotSaidToBeKnownToVerifiers() {
    MacpIssuer issuer = issuer(ACTIVE, Duration.ofSeconds(3));
    String text = RevokeCommand.explain(issuer, issuer.getStatus().getKeys().get(0), NOW);
    assertThat(text).doesNotContain("already know")
        .contains(NEXT + " takes over")
        .contains("reject its tokens until they refresh")
        // published 07:59:57 + L 1h8m
        .contains("all by 2026-11-30T09:07:57Z");
  }

  @Test
  void aSuccessorPublishedTheLeadTimeAgoIsKnownToVerifiers() {
    MacpIssuer issuer = issuer(ACTIVE, Duration.ofMinutes(68));
    String text = RevokeCommand.explain(issuer, issuer.getStatus().getKeys().get(0), NOW);
    assertThat(text).contains(NEXT + " takes over; verifiers already know it")
        .doesNotContain("reject its tokens");
    MacpIssuer younger = issuer(ACTIVE, Duration.ofMinutes(68).minusSeconds(1));
    assertThat(RevokeCommand.explain(younger, younger.getStatus().getKeys().get(0), NOW))
        .doesNotContain("already know");
  }

  @Test
  void afterTheRevokeItNamesTheKeyTheOperatorMadeActiveAndThatReplicasSwitchWithinD() {
    MacpIssuer after = issuer(NEXT, Duration.ofSeconds(3));
    assertThat(RevokeCommand.afterRevoke(after, ACTIVE))
        .isEqualTo("revoked " + ACTIVE + "; the operator made " + NEXT
            + " active; issuer replicas switch within 2m")
        .doesNotContain("signs now");
  }
}
