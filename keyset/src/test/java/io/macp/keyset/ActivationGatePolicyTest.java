package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ActivationGatePolicyTest {
  static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");
  static final ECKey BASE = (ECKey) KeyGenerator.secure().generate(KeySpec.es256());
  /** P 10m, C 1m, G 0, D 10s, K 5s, T 2m. */
  static final RotationPolicy POLICY = new RotationPolicy(Duration.ofMinutes(10),
      Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(5),
      Duration.ofMinutes(2)).validated();
  static final ActivationGate HOLD = new ActivationGate(ActivationGate.Mode.Hold,
      Duration.ofMinutes(5));

  final AtomicInteger counter = new AtomicInteger();
  final KeySetPlanner planner = new KeySetPlanner(
      spec -> new ECKey.Builder(BASE).keyID("k" + counter.incrementAndGet()).build());

  /** Genesis k1 at T0, k2 pending for T0 + 10m. */
  KeySet genesis() {
    return planner.plan(KeySet.empty(), POLICY, KeySpec.es256(), T0, RotationRequests.NONE)
        .desired();
  }

  static VerifierCoverage lacking(Instant lastFetch, String... names) {
    return new VerifierCoverage(java.util.Arrays.stream(names)
        .map(n -> new ObservedVerifier(n, lastFetch, Set.of("k1"))).toList());
  }

  static final Instant A = T0.plus(Duration.ofMinutes(10)); // k2's planned activateAt

  @Test
  void holdPostponesInsideTheWindowByTwoCachesPlusD() {
    Instant now = A.minusSeconds(70); // window [A - 70s, A - 10s]
    KeySetPlan plan = planner.plan(genesis(), POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(HOLD, lacking(now.minusSeconds(5), "rt-slow"), true,
            null, null));
    GateDecision d = plan.gate();
    assertThat(d.outcome()).isEqualTo(GateDecision.Outcome.Held);
    assertThat(d.kid()).isEqualTo("k2");
    assertThat(d.plannedActivateAt()).isEqualTo(A);
    assertThat(d.activateAt()).isEqualTo(now.plusSeconds(10 + 120)).isAfter(A);
    assertThat(d.holdouts()).extracting(ObservedVerifier::name).containsExactly("rt-slow");
    ManagedKey k2 = plan.desired().find("k2").orElseThrow();
    assertThat(k2.activateAt()).isEqualTo(d.activateAt());
    // The signer's retirement follows the held activation, so its tokens keep verifying.
    ManagedKey k1 = plan.desired().find("k1").orElseThrow();
    assertThat(k1.retireAt()).isEqualTo(d.activateAt());
    assertThat(k1.removeAt()).isEqualTo(d.activateAt().plus(POLICY.retention()));
    assertThat(plan.nextDeadline()).hasValue(d.activateAt().minusSeconds(70));
  }

  @Test
  void beforeTheWindowNothingIsHeldAndTheWindowIsTheNextDeadline() {
    Instant now = A.minusSeconds(200);
    KeySetPlan plan = planner.plan(genesis(), POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(HOLD, lacking(now, "rt-a"), true, null, null));
    assertThat(plan.gate().outcome()).isEqualTo(GateDecision.Outcome.Waiting);
    assertThat(plan.desired().find("k2").orElseThrow().activateAt()).isEqualTo(A);
    assertThat(plan.nextDeadline()).hasValue(A.minusSeconds(70));
  }

  @Test
  void pastTheWindowItIsTooLateToHoldAndTheKeyActivatesAsPlanned() {
    Instant now = A.minusSeconds(9); // later than A - D
    KeySetPlan plan = planner.plan(genesis(), POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(HOLD, lacking(now, "rt-a"), true, null, null));
    assertThat(plan.gate().outcome()).isEqualTo(GateDecision.Outcome.TooLate);
    assertThat(plan.gate().activatesWithHoldouts()).isTrue();
    assertThat(plan.desired().find("k2").orElseThrow().activateAt()).isEqualTo(A);
  }

  @Test
  void theHoldIsCappedAtMaxHoldPastThePlannedTimeThenTheKeyActivatesWithAWarning() {
    KeySet ks = genesis();
    Instant planned = A;
    Instant now = A.minusSeconds(70);
    for (int i = 0; i < 20; i++) {
      KeySetPlan plan = planner.plan(ks, POLICY, KeySpec.es256(), now, RotationRequests.NONE,
          new GateInput(HOLD, lacking(now, "rt-never"), true, "k2", planned));
      Instant before = ks.find("k2").orElseThrow().activateAt();
      ks = plan.desired();
      Instant after = ks.find("k2").orElseThrow().activateAt();
      assertThat(after).isAfterOrEqualTo(before).isBeforeOrEqualTo(A.plus(HOLD.maxHold()));
      if (plan.gate().outcome() == GateDecision.Outcome.MaxHoldReached) {
        assertThat(after).isEqualTo(A.plus(HOLD.maxHold()));
        assertThat(plan.gate().activatesWithHoldouts()).isTrue();
        return;
      }
      assertThat(plan.gate().outcome()).isEqualTo(GateDecision.Outcome.Held);
      now = plan.nextDeadline().orElseThrow();
    }
    throw new AssertionError("the hold never reached maxHold");
  }

  @Test
  void observeAndOffNeverChangeATime() {
    Instant now = A.minusSeconds(30);
    KeySet genesis = genesis();
    for (ActivationGate.Mode mode : List.of(ActivationGate.Mode.Off, ActivationGate.Mode.Observe)) {
      KeySetPlan plan = planner.plan(genesis, POLICY, KeySpec.es256(), now,
          RotationRequests.NONE, new GateInput(new ActivationGate(mode, Duration.ofHours(1)),
              lacking(now, "rt-a"), true, null, null));
      assertThat(plan.desired().find("k2").orElseThrow().activateAt()).isEqualTo(A);
      assertThat(plan.gate().outcome()).isEqualTo(mode == ActivationGate.Mode.Off
          ? GateDecision.Outcome.Off : GateDecision.Outcome.Lagging);
    }
  }

  @Test
  void anEmergencyRevokeOfTheSignerIsNeverHeldBack() {
    Instant now = T0.plus(Duration.ofMinutes(3));
    KeySetPlan plan = planner.plan(genesis(), POLICY, KeySpec.es256(), now,
        RotationRequests.revoke("k1"), new GateInput(HOLD, lacking(now, "rt-a"), true, null, null));
    // k2 signs at once although rt-a lacks it; the gate only looks at the new pending key.
    assertThat(plan.desired().signerAt(now).orElseThrow().kid()).isEqualTo("k2");
    assertThat(plan.gate().kid()).isEqualTo("k3");
    assertThat(plan.gate().outcome()).isEqualTo(GateDecision.Outcome.Waiting);
  }

  @Test
  void aRememberedPlannedTimeLaterThanTheKeysTimeIsIgnoredSoNothingMovesEarlier() {
    Instant now = A.minusSeconds(70);
    KeySetPlan plan = planner.plan(genesis(), POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(HOLD, lacking(now, "rt-a"), true, "k2",
            A.plus(Duration.ofHours(5))));
    assertThat(plan.gate().plannedActivateAt()).isEqualTo(A);
    assertThat(plan.gate().activateAt()).isAfter(A).isBeforeOrEqualTo(A.plus(HOLD.maxHold()));
  }

  @Test
  void verifiersSilentForTwoCachesPlusGraceNoLongerCount() {
    Instant now = A.minusSeconds(70);
    Duration gone = VerifierCoverage.goneAfter(POLICY);
    assertThat(gone).isEqualTo(Duration.ofMinutes(2));
    KeySetPlan plan = planner.plan(genesis(), POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(HOLD, lacking(now.minus(gone), "rt-gone"), true, null,
            null));
    assertThat(plan.gate().outcome()).isEqualTo(GateDecision.Outcome.Covered);
    assertThat(plan.gate().known()).isZero();
  }

  @Test
  void replicasViewsMergeToTheLatestFetchPerClient() {
    ObservedVerifier old = new ObservedVerifier("rt-a", T0, Set.of("k1"));
    ObservedVerifier fresh = new ObservedVerifier("rt-a", T0.plusSeconds(5), Set.of("k1", "k2"));
    ObservedVerifier other = new ObservedVerifier("rt-b", T0, Set.of("k1"));
    VerifierCoverage merged = VerifierCoverage.merge(List.of(List.of(fresh, other), List.of(old)));
    assertThat(merged.verifiers()).containsExactlyInAnyOrder(
        new ObservedVerifier("rt-a", T0.plusSeconds(5), T0, Set.of("k1", "k2")), other);
  }

  @Test
  void maxHoldOutsideItsBoundsIsRefused() {
    assertThatThrownBy(() -> new ActivationGate(ActivationGate.Mode.Hold, Duration.ofHours(25)))
        .hasMessageContaining("from 0s to 24h");
    assertThatThrownBy(() -> new ActivationGate(ActivationGate.Mode.Hold, Duration.ofSeconds(-1)))
        .hasMessageContaining("from 0s to 24h");
  }

  /**
   * Found by the random simulation (SystemSimulationGateTest, Observe, 5 Held decisions): a pending key
   * postponed by the planner (a raised lead time) after its planned time was remembered was
   * reported as Held in Observe mode, which holds nothing.
   */
  @Test
  void observeNeverReportsHeldForAKeyThePlannerPostponed() {
    Instant now = A.minusSeconds(200); // before the window
    ActivationGate observe = new ActivationGate(ActivationGate.Mode.Observe, Duration.ofMinutes(5));
    KeySetPlan plan = planner.plan(genesis(), POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(observe, lacking(now, "rt-a"), true, "k2",
            A.minusSeconds(30)));
    assertThat(plan.gate().outcome()).isEqualTo(GateDecision.Outcome.Waiting);
    assertThat(plan.desired().find("k2").orElseThrow().activateAt()).isEqualTo(A);
  }

  /**
   * Found by the random simulation (SystemSimulationGateTest, seed 222 with maxHold 1s): a hold
   * that reached maxHold with less than a window left asked for no decision before the
   * activation, so the key activated with holdouts and no MaxHoldReached warning.
   */
  @Test
  void aHoldUpToMaxHoldIsLookedAtAgainBeforeTheActivation() {
    ActivationGate hold30s = new ActivationGate(ActivationGate.Mode.Hold, Duration.ofSeconds(30));
    Instant now = A.minusSeconds(15); // late in the window [A - 70s, A - 10s]
    KeySetPlan held = planner.plan(genesis(), POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(hold30s, lacking(now, "rt-slow"), true, null, null));
    assertThat(held.gate().outcome()).isEqualTo(GateDecision.Outcome.Held);
    Instant cap = A.plusSeconds(30);
    assertThat(held.gate().activateAt()).isEqualTo(cap);
    // The next window would have started before now: decide again at its end, cap - D.
    assertThat(held.nextDeadline()).hasValue(cap.minusSeconds(10));

    Instant later = cap.minusSeconds(10);
    KeySetPlan again = planner.plan(held.desired(), POLICY, KeySpec.es256(), later,
        RotationRequests.NONE, new GateInput(hold30s, lacking(later, "rt-slow"), true, "k2", A));
    assertThat(again.gate().outcome()).isEqualTo(GateDecision.Outcome.MaxHoldReached);
    assertThat(again.gate().activatesWithHoldouts()).isTrue();
    assertThat(again.desired().find("k2").orElseThrow().activateAt()).isEqualTo(cap);
  }

  /**
   * Found by the random simulation (seed 502200, maxHold 0): a spec edit raised C, so the planner
   * moved the pending key to its new lead-time floor after its planned time was remembered. Hold
   * took that postponement for a hold (Held) and, the key being past remembered + maxHold, asked
   * for no later look: the key activated with holdouts and no decision in its window.
   */
  @Test
  void aKeyThePlannerPostponedIsNoHoldAndIsLookedAtInItsWindow() {
    ActivationGate hold0 = new ActivationGate(ActivationGate.Mode.Hold, Duration.ZERO);
    // C raised from 1m to 10m (P to 20m): k2 (created T0) now activates at T0 + L = T0 + 10m15s.
    RotationPolicy raised = new RotationPolicy(Duration.ofMinutes(20), Duration.ofMinutes(10),
        Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMinutes(2))
        .validated();
    Instant a = T0.plus(raised.leadTime());
    Instant now = T0.plusSeconds(2); // before the window [a - D - C, a - D] = [T0 + 5s, T0 + 10m5s]
    KeySetPlan plan = planner.plan(genesis(), raised, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(hold0, lacking(now, "rt-slow"), true, "k2", A));
    assertThat(plan.desired().find("k2").orElseThrow().activateAt()).isEqualTo(a);
    assertThat(plan.gate().outcome()).isEqualTo(GateDecision.Outcome.Waiting);
    assertThat(plan.gate().plannedActivateAt()).isEqualTo(a);
    Instant windowStart = a.minus(raised.propagationDelay()).minus(raised.verifierCacheTtl());
    assertThat(plan.nextDeadline()).hasValue(windowStart);

    // At the window: the holdout is reported before the activation (maxHold 0: no hold).
    KeySetPlan atWindow = planner.plan(plan.desired(), raised, KeySpec.es256(), windowStart,
        RotationRequests.NONE, new GateInput(hold0, lacking(windowStart, "rt-slow"), true, "k2",
            plan.gate().plannedActivateAt()));
    assertThat(atWindow.gate().outcome()).isEqualTo(GateDecision.Outcome.MaxHoldReached);
    assertThat(atWindow.desired().find("k2").orElseThrow().activateAt()).isEqualTo(a);
  }

  /**
   * The same kind: a hold in place, then maxHold lowered below it. The key is still held (it
   * activates later than planned) but past the new cap; its window must still be looked at.
   */
  @Test
  void aHoldPastALoweredMaxHoldIsLookedAtInItsWindow() {
    Instant now = A.minusSeconds(70);
    KeySetPlan held = planner.plan(genesis(), POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(HOLD, lacking(now, "rt-slow"), true, null, null));
    Instant aHeld = held.gate().activateAt();
    assertThat(aHeld).isAfter(A);
    ActivationGate hold0 = new ActivationGate(ActivationGate.Mode.Hold, Duration.ZERO);
    Instant later = now.plusSeconds(1); // before the new window [aHeld - 70s, aHeld - 10s]
    KeySetPlan after = planner.plan(held.desired(), POLICY, KeySpec.es256(), later,
        RotationRequests.NONE, new GateInput(hold0, lacking(later, "rt-slow"), true, "k2", A));
    assertThat(after.gate().outcome()).isEqualTo(GateDecision.Outcome.Held);
    assertThat(after.nextDeadline()).hasValue(aHeld.minusSeconds(70));
    Instant window = aHeld.minusSeconds(70);
    KeySetPlan last = planner.plan(after.desired(), POLICY, KeySpec.es256(), window,
        RotationRequests.NONE, new GateInput(hold0, lacking(window, "rt-slow"), true, "k2", A));
    assertThat(last.gate().outcome()).isEqualTo(GateDecision.Outcome.MaxHoldReached);
    assertThat(last.desired().find("k2").orElseThrow().activateAt()).isEqualTo(aHeld);
  }

  // ---- issue 13, second round: verifiers that looked gone, replicas that were not read

  /**
   * Input 1: a verifier that really refreshes every 3×C (G = 0) fetched 2.5×C ago, before k2 was
   * published. Under the old rule (gone after 2×C + G) it did not count and the key was called
   * Covered; with its observed interval it is known and the activation is held.
   */
  @Test
  void aVerifierRefreshingEveryThreeCachesIsStillKnownBetweenItsFetches() {
    Instant now = A.minusSeconds(70);
    Instant last = now.minusSeconds(150); // 2.5 × C
    ObservedVerifier slow = new ObservedVerifier("rt-slow", last, last.minusSeconds(180),
        Set.of("k1"));
    assertThat(VerifierCoverage.goneAfter(slow, POLICY)).isEqualTo(Duration.ofMinutes(6));
    KeySetPlan plan = planner.plan(genesis(), POLICY, KeySpec.es256(), now,
        RotationRequests.NONE,
        new GateInput(HOLD, new VerifierCoverage(List.of(slow)), true, null, null));
    assertThat(plan.gate().outcome()).isEqualTo(GateDecision.Outcome.Held);
    assertThat(plan.gate().holdouts()).extracting(ObservedVerifier::name)
        .containsExactly("rt-slow");
    // Past two of its own intervals it is gone after all.
    Instant much = last.plus(Duration.ofMinutes(6));
    assertThat(new VerifierCoverage(List.of(slow)).knownAt(much, POLICY)).isEmpty();
    assertThat(new VerifierCoverage(List.of(slow)).knownAt(much.minusMillis(1), POLICY))
        .hasSize(1);
  }

  @Test
  void anObservedIntervalKeepsAClientKnownForAtMostADay() {
    ObservedVerifier rare = new ObservedVerifier("rt-rare", T0, T0.minus(Duration.ofDays(3)),
        Set.of("k1"));
    assertThat(VerifierCoverage.goneAfter(rare, POLICY)).isEqualTo(Duration.ofHours(24));
    ObservedVerifier once = new ObservedVerifier("rt-once", T0, Set.of("k1"));
    assertThat(VerifierCoverage.goneAfter(once, POLICY)).isEqualTo(Duration.ofMinutes(2));
    ObservedVerifier fast = new ObservedVerifier("rt-fast", T0, T0.minusSeconds(5), Set.of("k1"));
    assertThat(VerifierCoverage.goneAfter(fast, POLICY)).isEqualTo(Duration.ofMinutes(2));
  }

  /**
   * A client balanced over two replicas: each replica saw every other fetch, so each one's own
   * interval (2 min) is twice the real one (1 min); the merge takes the two latest fetches of the
   * union.
   */
  @Test
  void theMergedIntervalComesFromTheUnionOfTheReplicasFetches() {
    ObservedVerifier onA = new ObservedVerifier("rt-a", T0.plusSeconds(180), T0.plusSeconds(60),
        Set.of("k1", "k2"));
    ObservedVerifier onB = new ObservedVerifier("rt-a", T0.plusSeconds(120), T0,
        Set.of("k1"));
    for (List<List<ObservedVerifier>> order : List.of(List.of(List.of(onA), List.of(onB)),
        List.of(List.of(onB), List.of(onA)))) {
      ObservedVerifier merged = VerifierCoverage.merge(order).verifiers().get(0);
      assertThat(merged.lastFetch()).isEqualTo(T0.plusSeconds(180));
      assertThat(merged.kids()).containsExactlyInAnyOrder("k1", "k2");
      assertThat(merged.interval()).hasValue(Duration.ofMinutes(1));
    }
    // One replica alone gives an upper bound of the interval.
    assertThat(VerifierCoverage.merge(List.of(List.of(onA))).verifiers().get(0).interval())
        .hasValue(Duration.ofMinutes(2));
  }

  /**
   * Input 2: a replica could not be read and the ones read show no holdout. The old gate called
   * the key Covered (a verifier that fetched only from the unread replica was not seen); Hold now
   * holds it (Unobserved), Observe only reports it.
   */
  @Test
  void inHoldAnIncompleteObservationHoldsAndObserveOnlyReportsIt() {
    Instant now = A.minusSeconds(70);
    VerifierCoverage allHold = new VerifierCoverage(List.of(
        new ObservedVerifier("rt-a", now, Set.of("k1", "k2"))));
    KeySet genesis = genesis();
    KeySetPlan held = planner.plan(genesis, POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(HOLD, allHold, false, null, null));
    assertThat(held.gate().outcome()).isEqualTo(GateDecision.Outcome.Unobserved);
    assertThat(held.gate().activateAt()).isEqualTo(now.plusSeconds(130)).isAfter(A);
    assertThat(held.desired().find("k2").orElseThrow().activateAt())
        .isEqualTo(held.gate().activateAt());
    assertThat(held.gate().holdouts()).isEmpty();

    KeySetPlan complete = planner.plan(genesis, POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(HOLD, allHold, true, null, null));
    assertThat(complete.gate().outcome()).isEqualTo(GateDecision.Outcome.Covered);

    ActivationGate observe = new ActivationGate(ActivationGate.Mode.Observe, Duration.ofHours(1));
    KeySetPlan observed = planner.plan(genesis, POLICY, KeySpec.es256(), now,
        RotationRequests.NONE, new GateInput(observe, allHold, false, null, null));
    assertThat(observed.gate().outcome()).isEqualTo(GateDecision.Outcome.Unobserved);
    assertThat(observed.desired()).isEqualTo(genesis);
  }

  /**
   * An issuer that can never be read (nothing collected at every decision): Hold postpones the
   * key decision by decision, never earlier, each decision no later than activateAt − D, and
   * activates it at a0 + maxHold with a MaxHoldReached warning; a revoke of the signer meanwhile
   * promotes the held key at once.
   */
  @Test
  void aPermanentlyUnreachableIssuerIsHeldOnlyUntilMaxHoldAndNeverBlocksARevoke() {
    KeySet ks = genesis();
    Instant now = A.minusSeconds(70);
    Instant previous = A;
    GateDecision last = null;
    for (int i = 0; i < 40 && last == null; i++) {
      Instant due = ks.find("k2").orElseThrow().activateAt();
      KeySetPlan plan = planner.plan(ks, POLICY, KeySpec.es256(), now, RotationRequests.NONE,
          new GateInput(HOLD, VerifierCoverage.NONE, false, "k2", A));
      Instant after = plan.desired().find("k2").orElseThrow().activateAt();
      assertThat(after).isAfterOrEqualTo(previous).isBeforeOrEqualTo(A.plus(HOLD.maxHold()));
      if (!after.equals(due)) {
        assertThat(now).isBeforeOrEqualTo(due.minus(POLICY.propagationDelay()));
      }
      if (plan.gate().outcome() == GateDecision.Outcome.MaxHoldReached) {
        last = plan.gate();
      } else {
        assertThat(plan.gate().outcome()).isEqualTo(GateDecision.Outcome.Unobserved);
      }
      if (i == 2) {
        // meanwhile, a revoke of the signer is never held back
        KeySetPlan revoked = planner.plan(ks, POLICY, KeySpec.es256(), now,
            RotationRequests.revoke("k1"),
            new GateInput(HOLD, VerifierCoverage.NONE, false, "k2", A));
        assertThat(revoked.desired().signerAt(now).orElseThrow().kid()).isEqualTo("k2");
      }
      ks = plan.desired();
      previous = after;
      now = plan.nextDeadline().orElseThrow();
    }
    assertThat(last).isNotNull();
    assertThat(last.activateAt()).isEqualTo(A.plus(HOLD.maxHold()));
    assertThat(last.activatesWithHoldouts()).isTrue();
    assertThat(ks.signerAt(A.plus(HOLD.maxHold())).orElseThrow().kid()).isEqualTo("k2");
  }
}
