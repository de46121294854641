package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeySetPlannerTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  /** P=30s C=5s G=0 D=2s K=1s T=20s: L=8s, R=21s (the fast-rotation example). */
  static final RotationPolicy FAST =
      new RotationPolicy(
          Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(2),
          Duration.ofSeconds(1), Duration.ofSeconds(20));

  final AtomicInteger generated = new AtomicInteger();
  final KeySetPlanner planner =
      new KeySetPlanner(spec -> {
        generated.incrementAndGet();
        return KeyGenerator.secure().generate(spec);
      });

  KeySetPlan plan(KeySet current, double seconds) {
    return planner.plan(current, FAST, KeySpec.es256(), at(seconds), RotationRequests.NONE);
  }

  @Test
  void genesisSignsAtOnceAndPrePublishesTheNextKeyOnePeriodAhead() {
    KeySetPlan p = plan(KeySet.empty(), 0);
    assertThat(p.changed()).isTrue();
    List<ManagedKey> keys = p.desired().keys();
    assertThat(keys).hasSize(2);
    ManagedKey first = keys.get(0);
    ManagedKey next = keys.get(1);
    assertThat(first.activateAt()).isEqualTo(at(0));
    assertThat(next.createdAt()).isEqualTo(at(0));
    assertThat(next.activateAt()).isEqualTo(at(30));
    assertThat(first.retireAt()).isEqualTo(at(30));
    assertThat(first.removeAt()).isEqualTo(at(51));
    assertThat(next.retireAt()).isNull();
    assertThat(p.nextDeadline()).contains(at(30));
  }

  @Test
  void planningAgainWithNothingDueChangesNothingAndGeneratesNothing() {
    KeySet s = plan(KeySet.empty(), 0).desired();
    int before = generated.get();
    KeySetPlan again = plan(s, 10);
    assertThat(again.changed()).isFalse();
    assertThat(again.desired()).isEqualTo(s);
    assertThat(generated.get()).isEqualTo(before);
  }

  @Test
  void atActivationANewNextKeyIsCreatedAndTheOldOneRetiresThenLeaves() {
    KeySet s0 = plan(KeySet.empty(), 0).desired();
    String k1 = s0.keys().get(0).kid();
    String k2 = s0.keys().get(1).kid();
    KeySet s1 = plan(s0, 30).desired();
    assertThat(s1.signerAt(at(30)).orElseThrow().kid()).isEqualTo(k2);
    assertThat(s1.keys()).hasSize(3);
    ManagedKey k3 = s1.keys().get(2);
    assertThat(k3.createdAt()).isEqualTo(at(30));
    assertThat(k3.activateAt()).isEqualTo(at(60));
    assertThat(s1.phaseAt(s1.find(k1).orElseThrow(), at(30))).isEqualTo(KeyPhase.Retired);
    KeySetPlan p2 = plan(s1, 51);
    assertThat(p2.desired().find(k1)).isEmpty();
    assertThat(p2.desired().keys()).hasSize(2);
  }

  @Test
  void anOperatorThatWasDownForManyPeriodsCatchesUpWithoutSigningEarly() {
    KeySet s0 = plan(KeySet.empty(), 0).desired();
    KeySet late = plan(s0, 1000).desired();
    ManagedKey signer = late.signerAt(at(1000)).orElseThrow();
    assertThat(signer.kid()).isEqualTo(s0.keys().get(1).kid());
    ManagedKey next = late.keys().get(late.keys().size() - 1);
    assertThat(next.createdAt()).isEqualTo(at(1000));
    assertThat(next.activateAt()).isEqualTo(at(1008)); // now + L, not the overdue activateAt + P
    assertThat(late.keys()).hasSize(2); // the genesis key is long past its removeAt
  }

  @Test
  void rotateNowWaitsForTheLeadTimeAndThePropagationDelay() {
    KeySet s0 = plan(KeySet.empty(), 0).desired();
    String next = s0.keys().get(1).kid();
    // 3s after creation: the key has been public for 3s, lead time is 8s.
    KeySet early = planner.plan(s0, FAST, KeySpec.es256(), at(3), RotationRequests.rotate()).desired();
    assertThat(early.find(next).orElseThrow().activateAt()).isEqualTo(at(8));
    // 20s after creation: the lead time has passed, but every replica needs D=2s to learn it.
    KeySet later = planner.plan(s0, FAST, KeySpec.es256(), at(20), RotationRequests.rotate()).desired();
    assertThat(later.find(next).orElseThrow().activateAt()).isEqualTo(at(22));
    ManagedKey old = later.keys().get(0);
    assertThat(old.retireAt()).isEqualTo(at(22));
    // An announced removeAt never moves earlier: 30 + R stays, though 22 + R would do.
    assertThat(old.removeAt()).isEqualTo(at(51));
  }

  @Test
  void revokingARetiredKeyRemovesItFromTheJwksAtOnceAndDeletesItsPrivatePart() {
    KeySet s1 = plan(plan(KeySet.empty(), 0).desired(), 30).desired();
    String retired = s1.keys().get(0).kid();
    KeySetPlan p = planner.plan(s1, FAST, KeySpec.es256(), at(35), RotationRequests.revoke(retired));
    ManagedKey k = p.desired().find(retired).orElseThrow();
    assertThat(k.isRevoked()).isTrue();
    assertThat(k.hasPrivateKey()).isFalse();
    assertThat(KeySetTest.kids(p.desired().publishedAt(at(35)))).doesNotContain(retired);
    assertThat(p.desired().signerAt(at(35)).orElseThrow().kid()).isEqualTo(s1.keys().get(1).kid());
    assertThat(p.warnings()).isEmpty();
    // The tombstone is pruned after the retention.
    assertThat(plan(p.desired(), 35 + 21).desired().find(retired)).isEmpty();
  }

  @Test
  void revokingTheActiveKeyPromotesThePrePublishedNextKeyAtOnce() {
    KeySet s0 = plan(KeySet.empty(), 0).desired();
    String active = s0.keys().get(0).kid();
    String next = s0.keys().get(1).kid();
    KeySetPlan p = planner.plan(s0, FAST, KeySpec.es256(), at(12), RotationRequests.revoke(active));
    KeySet s = p.desired();
    assertThat(s.signerAt(at(12)).orElseThrow().kid()).isEqualTo(next);
    assertThat(KeySetTest.kids(s.publishedAt(at(12)))).doesNotContain(active).contains(next);
    ManagedKey fresh = s.keys().get(s.keys().size() - 1);
    assertThat(fresh.kid()).isNotIn(active, next);
    assertThat(fresh.activateAt()).isEqualTo(at(42)); // promoted at 12, so 12 + P
    assertThat(p.warnings()).isEmpty();
  }

  /**
   * Regression: revoking the active key early in a period longer than the retention (the
   * defaults: P 24h, R 61m) left it with retireAt = the successor's old activation and removeAt =
   * now + R, before it; KeySetJson refused that key set, so the operator marked its own Secret
   * KeySetCorrupt and issuer pods kept the revoked key signing.
   */
  @Test
  void revokingTheActiveKeyEarlyInALongPeriodWritesAKeySetThatParses() throws Exception {
    KeySet s0 = planner.plan(KeySet.empty(), RotationPolicy.DEFAULTS, KeySpec.es256(), at(0),
        RotationRequests.NONE).desired();
    String active = s0.signerAt(at(0)).orElseThrow().kid();
    KeySet s = planner.plan(s0, RotationPolicy.DEFAULTS, KeySpec.es256(), at(30),
        RotationRequests.revoke(active)).desired();
    ManagedKey revoked = s.find(active).orElseThrow();
    assertThat(revoked.removeAt()).isAfterOrEqualTo(revoked.retireAt());
    KeySet parsed = KeySetJson.parse(KeySetJson.write(s));
    assertThat(parsed.signerAt(at(30)).orElseThrow().kid()).isNotEqualTo(active);
    assertThat(KeySetTest.kids(parsed.publishedAt(at(30)))).doesNotContain(active);
  }

  @Test
  void revokingAKeyThatIsNotYetActiveKeepsItsTimelineValid() throws Exception {
    KeySet s0 = planner.plan(KeySet.empty(), RotationPolicy.DEFAULTS, KeySpec.es256(), at(0),
        RotationRequests.NONE).desired();
    String next = s0.nextToActivateAfter(at(0)).orElseThrow().kid();
    KeySet s = planner.plan(s0, RotationPolicy.DEFAULTS, KeySpec.es256(), at(30),
        RotationRequests.revoke(next)).desired();
    KeySet parsed = KeySetJson.parse(KeySetJson.write(s));
    assertThat(KeySetTest.kids(parsed.publishedAt(at(30)))).doesNotContain(next);
    assertThat(parsed.nextToActivateAfter(at(30))).isPresent();
  }

  @Test
  void revokingAnUnknownKidWarnsAndChangesNothing() {
    KeySet s0 = plan(KeySet.empty(), 0).desired();
    KeySetPlan p = planner.plan(s0, FAST, KeySpec.es256(), at(1), RotationRequests.revoke("nope"));
    assertThat(p.changed()).isFalse();
    assertThat(p.warnings()).containsExactly("revoke: no key with kid 'nope' in the key set");
  }

  @Test
  void changingTheAlgorithmReplacesThePendingKeyOnItsScheduleNotEarlier() {
    KeySet s0 = plan(KeySet.empty(), 0).desired();
    KeySet s = planner.plan(s0, FAST, KeySpec.rs256(), at(5), RotationRequests.NONE).desired();
    assertThat(s.keys()).hasSize(2);
    ManagedKey next = s.keys().get(1);
    assertThat(next.algorithm()).isEqualTo(SigningAlgorithm.RS256);
    // now + L = 13 would do, but the active key's announced retireAt (30) never moves earlier.
    assertThat(next.activateAt()).isEqualTo(at(30));
    assertThat(s.keys().get(0).retireAt()).isEqualTo(at(30));
    assertThat(s.find(s0.keys().get(1).kid())).isEmpty(); // never signed, simply withdrawn
  }

  @Test
  void eachKeyRecordsTheLongestTtlItMaySignAndItsRetentionNeverShrinks() {
    KeySet s1 = plan(plan(KeySet.empty(), 0).desired(), 30).desired();
    ManagedKey retired = s1.keys().get(0);
    assertThat(retired.removeAt()).isEqualTo(at(51));
    assertThat(s1.keys().get(1).maxTokenTtl()).isEqualTo(Duration.ofSeconds(20));
    RotationPolicy longer = withMaxTtl(Duration.ofSeconds(25));
    KeySet ext = planner.plan(s1, longer, KeySpec.es256(), at(31), RotationRequests.NONE).desired();
    // The retired key never signed a token longer than 20s: its removeAt stays.
    assertThat(ext.keys().get(0).removeAt()).isEqualTo(at(51));
    // Keys that may still sign raise their maximum, and their retention with it.
    assertThat(ext.keys().get(1).maxTokenTtl()).isEqualTo(Duration.ofSeconds(25));
    assertThat(ext.keys().get(1).removeAt()).isEqualTo(at(60 + 26));
    RotationPolicy shorter = withMaxTtl(Duration.ofSeconds(5));
    KeySet cut = planner.plan(ext, shorter, KeySpec.es256(), at(32), RotationRequests.NONE).desired();
    // A shorter maximum never lowers a key's recorded maximum: replicas that have not loaded it
    // (or run the previous pod template) still mint 25s tokens with it.
    assertThat(cut.keys().get(1).maxTokenTtl()).isEqualTo(Duration.ofSeconds(25));
    assertThat(cut.keys().get(1).removeAt()).isEqualTo(at(60 + 26));
    assertThat(cut.keys().get(2).maxTokenTtl()).isEqualTo(Duration.ofSeconds(25));
  }

  @Test
  void anInvalidPolicyIsRefusedBeforeAnythingIsPlanned() {
    RotationPolicy bad =
        new RotationPolicy(
            Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(2),
            Duration.ofSeconds(1), Duration.ofSeconds(20));
    assertThatThrownBy(
            () -> planner.plan(KeySet.empty(), bad, KeySpec.es256(), T0, RotationRequests.NONE))
        .hasMessageContaining("shorter than the lead time 8s");
    assertThat(generated.get()).isZero();
  }

  static RotationPolicy withMaxTtl(Duration t) {
    return new RotationPolicy(
        FAST.period(), FAST.verifierCacheTtl(), FAST.verifierStaleGrace(), FAST.propagationDelay(),
        FAST.clockSkew(), t);
  }

  static Instant at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000));
  }

  @Test
  void aSettingsChangeAloneIsAWriteThatLeavesEveryKeyAsItWas() {
    IssuerSettings before =
        new IssuerSettings(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(5));
    IssuerSettings after =
        new IssuerSettings(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(3));
    KeySet s = planner
        .plan(KeySet.empty(), FAST, KeySpec.es256(), at(0), RotationRequests.NONE, before)
        .desired();
    assertThat(s.settings()).contains(before);
    int generatedBefore = generated.get();

    KeySetPlan same = planner.plan(s, FAST, KeySpec.es256(), at(5), RotationRequests.NONE, before);
    assertThat(same.changed()).isFalse();
    KeySetPlan changed =
        planner.plan(s, FAST, KeySpec.es256(), at(5), RotationRequests.NONE, after);
    assertThat(changed.changed()).isTrue();
    assertThat(changed.desired().keys()).isEqualTo(s.keys());
    assertThat(changed.desired().settings()).contains(after);
    assertThat(generated.get()).isEqualTo(generatedBefore);
    // the settings-less overload keeps what is stored
    assertThat(plan(changed.desired(), 6).desired().settings()).contains(after);
  }

  @Test
  void settingsAboveThePolicysMaximumTokenTtlAreRefused() {
    IssuerSettings tooLong =
        new IssuerSettings(Duration.ofSeconds(5), Duration.ofSeconds(21), Duration.ofSeconds(5));
    assertThatThrownBy(() -> planner.plan(
            KeySet.empty(), FAST, KeySpec.es256(), at(0), RotationRequests.NONE, tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokens.maxTtl 21s exceeds the rotation policy's 20s");
  }
}
