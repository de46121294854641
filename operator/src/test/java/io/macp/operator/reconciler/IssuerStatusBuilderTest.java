package io.macp.operator.reconciler;

import static io.macp.operator.reconciler.TestKeys.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.macp.keyset.KeySet;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssuerStatusBuilderTest {
  private static final KeySet KEYS = TestKeys.genesis();

  @Test
  void showsTheTimelineButNeverKeyMaterial() {
    MacpIssuerStatus s = build(null, List.of(), KeysState.ready(KEYS), new Availability(true, 2, 2), T0);
    assertThat(s.getKeys()).extracting(k -> k.getPhase()).containsExactly("Active", "Published");
    assertThat(s.getKeys().get(0).getAlgorithm()).isEqualTo("ES256");
    assertThat(s.getKeys().get(0).getCreatedAt()).isEqualTo("2026-11-23T12:00:00Z");
    assertThat(s.getActiveKid()).isEqualTo(KEYS.keys().get(0).kid());
    assertThat(s.getNextRotationAt()).isEqualTo("2026-11-23T12:00:10Z");
    assertThat(s.getObservedGeneration()).isEqualTo(3L);
    String json = Serialization.asJson(s);
    assertThat(json).doesNotContain("\"d\"").doesNotContain("\"x\"").doesNotContain("\"jwk\"");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "KeysReady").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Available").getReason()).isEqualTo("ReplicasAvailable");
    assertThat(condition(s, "InvalidSpec").getStatus()).isEqualTo("False");
    assertThat(condition(s, "RotationBlocked").getStatus()).isEqualTo("False");
  }

  @Test
  void oneAvailableReplicaIsAvailableButNoneIsNot() {
    var partial = build(null, List.of(), KeysState.ready(KEYS), new Availability(true, 3, 1), T0);
    assertThat(condition(partial, "Available").getStatus()).isEqualTo("True");
    assertThat(condition(partial, "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
    assertThat(condition(partial, "Available").getMessage()).isEqualTo("1/3 replicas available");
    var none = build(null, List.of(), KeysState.ready(KEYS), new Availability(true, 3, 0), T0);
    assertThat(condition(none, "Available").getStatus()).isEqualTo("False");
    assertThat(condition(none, "Ready").getReason()).isEqualTo("NoReplicasAvailable");
    var missing = build(null, List.of(), KeysState.ready(KEYS), Availability.of(null), T0);
    assertThat(condition(missing, "Available").getReason()).isEqualTo("DeploymentNotFound");
  }

  @Test
  void availabilityIsReadFromTheDeploymentStatus() {
    var d = new DeploymentBuilder().withNewSpec().withReplicas(2).endSpec()
        .withNewStatus().withAvailableReplicas(1).endStatus().build();
    assertThat(Availability.of(d)).isEqualTo(new Availability(true, 2, 1));
    var noStatus = new DeploymentBuilder().withNewSpec().withReplicas(2).endSpec().build();
    assertThat(Availability.of(noStatus).isAvailable()).isFalse();
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenTheStatusValueChanges() {
    var first = build(null, List.of(), KeysState.ready(KEYS), new Availability(true, 2, 0), T0);
    var same = build(first, List.of(), KeysState.ready(KEYS), new Availability(true, 2, 0),
        T0.plusSeconds(5));
    assertThat(condition(same, "Ready").getLastTransitionTime()).isEqualTo("2026-11-23T12:00:00Z");
    var flipped = build(same, List.of(), KeysState.ready(KEYS), new Availability(true, 2, 2),
        T0.plusSeconds(7));
    assertThat(condition(flipped, "Ready").getLastTransitionTime()).isEqualTo("2026-11-23T12:00:07Z");
    assertThat(condition(flipped, "KeysReady").getLastTransitionTime())
        .isEqualTo("2026-11-23T12:00:00Z");
  }

  @Test
  void anInvalidSpecKeepsTheLastKnownKeysAndSaysWhy() {
    var good = build(null, List.of(), KeysState.ready(KEYS), new Availability(true, 2, 2), T0);
    var bad = build(good, List.of("spec.rotation.period: 'x' is not a duration"),
        KeysState.untouched(), new Availability(true, 2, 2), T0.plusSeconds(1));
    assertThat(condition(bad, "InvalidSpec").getStatus()).isEqualTo("True");
    assertThat(condition(bad, "InvalidSpec").getMessage()).contains("'x' is not a duration");
    assertThat(condition(bad, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(bad, "RotationBlocked").getStatus()).isEqualTo("True");
    assertThat(condition(bad, "KeysReady").getStatus()).isEqualTo("True");
    assertThat(bad.getKeys()).hasSize(2);
    assertThat(bad.getActiveKid()).isEqualTo(good.getActiveKid());
  }

  @Test
  void aCorruptKeySetBlocksRotation() {
    var s = build(null, List.of(), KeysState.problem("KeySetCorrupt", "broken"),
        new Availability(true, 2, 2), T0);
    assertThat(condition(s, "KeysReady").getReason()).isEqualTo("KeySetCorrupt");
    assertThat(condition(s, "RotationBlocked").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("KeySetCorrupt");
  }

  @Test
  void aFailedReconcileOnlyTurnsReadyFalse() {
    var good = build(null, List.of(), KeysState.ready(KEYS), new Availability(true, 2, 2), T0);
    var failed = IssuerStatusBuilder.failed(good, 3L, "the last reconcile failed", T0.plusSeconds(3));
    assertThat(condition(failed, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(failed, "Ready").getReason()).isEqualTo("ReconcileFailed");
    assertThat(condition(failed, "KeysReady")).isEqualTo(condition(good, "KeysReady"));
    assertThat(failed.getKeys()).isEqualTo(good.getKeys());
  }

  @Test
  void mintSecuredIsShownAndAnUnusableSecretHoldsReadyBack() {
    MintState none = new MintState(false, "AuthenticationNone", "anyone can mint", false);
    var s = IssuerStatusBuilder.build(new IssuerStatusBuilder.Input(3L, null, List.of(),
        KeysState.ready(KEYS), new Availability(true, 2, 2), null, null, null, null, T0, none));
    assertThat(condition(s, "MintSecured").getStatus()).isEqualTo("False");
    assertThat(condition(s, "MintSecured").getReason()).isEqualTo("AuthenticationNone");
    assertThat(condition(s, "Ready").getStatus()).as("None is dangerous, not broken").isEqualTo("True");

    MintState missing = new MintState(false, "MintSecretUnusable", "Secret ns/t missing", true);
    var blocked = IssuerStatusBuilder.build(new IssuerStatusBuilder.Input(3L, s, List.of(),
        KeysState.ready(KEYS), new Availability(true, 2, 2), null, null, null, null,
        T0.plusSeconds(1), missing));
    assertThat(condition(blocked, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(blocked, "Ready").getReason()).isEqualTo("MintSecretUnusable");
    assertThat(condition(blocked, "MintSecured").getMessage()).isEqualTo("Secret ns/t missing");

    // an invalid spec says nothing new about the mint: the last verdict stays
    var invalid = build(blocked, List.of("spec.replicas must be at least 1"), KeysState.untouched(),
        new Availability(true, 2, 2), T0.plusSeconds(2));
    assertThat(condition(invalid, "MintSecured")).isEqualTo(condition(blocked, "MintSecured"));
  }

  @Test
  void theTokenReviewBindingIsRememberedThroughAFailedReconcile() {
    var good = build(null, List.of(), KeysState.ready(KEYS), new Availability(true, 2, 2), T0);
    good.setTokenReviewBinding("macp-issuer-tokenreview:ns:a");
    assertThat(IssuerStatusBuilder.failed(good, 3L, "x", T0).getTokenReviewBinding())
        .isEqualTo("macp-issuer-tokenreview:ns:a");
    assertThat(build(good, List.of(), KeysState.ready(KEYS), new Availability(true, 2, 2), T0)
        .getTokenReviewBinding()).isEqualTo("macp-issuer-tokenreview:ns:a");
  }

  private static MacpIssuerStatus build(MacpIssuerStatus previous, List<String> problems,
      KeysState keys, Availability availability, Instant now) {
    return IssuerStatusBuilder.build(new IssuerStatusBuilder.Input(3L, previous, problems, keys,
        availability, "http://a.ns.svc:3200/.well-known/jwks.json", "http://a.ns.svc:3200/tokens",
        null, null, now));
  }

  private static Condition condition(MacpIssuerStatus s, String type) {
    return s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }
}
