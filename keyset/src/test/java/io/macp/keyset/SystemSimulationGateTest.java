package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The same random histories of {@link SystemSimulation} (operator down, lagging replicas, spec
 * edits, rotate and revoke requests, one or two slow verifiers caching up to 3× the declared C)
 * with the activation gate fixed to one mode each: the proof that the simulation can fail
 * without the gate, and that Hold, within maxHold, leaves the slow verifiers no failure but those
 * of revokes (never held, by design). {@code -Dsim.gateHistories=N}
 * sets the histories per mode (default 500), {@code -Dsim.firstSeed=S} the first seed. The
 * figures go to standard output ({@code io.macp.keyset.SystemSimulationGateTest-output.txt}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemSimulationGateTest {
  static final int HISTORIES = Integer.getInteger("sim.gateHistories", 500);
  static final long FIRST_SEED = Long.getLong("sim.firstSeed", 1L);
  static final ActivationGate OBSERVE =
      new ActivationGate(ActivationGate.Mode.Observe, ActivationGate.DEFAULT_MAX_HOLD);
  static final ActivationGate HOLD =
      new ActivationGate(ActivationGate.Mode.Hold, ActivationGate.DEFAULT_MAX_HOLD);
  static final ActivationGate HOLD_1S =
      new ActivationGate(ActivationGate.Mode.Hold, Duration.ofSeconds(1));

  private final Map<String, SystemSimulation.Totals> runs = new LinkedHashMap<>();

  @BeforeAll
  void runEveryMode() {
    long started = System.nanoTime();
    runs.put("off", run(ActivationGate.OFF));
    runs.put("observe", run(OBSERVE));
    runs.put("hold", run(HOLD));
    runs.put("hold-maxHold-1s", run(HOLD_1S));
    runs.forEach((mode, t) -> {
      System.out.printf("gate-sim %s: histories=%d historiesWithSlowFailures=%d"
              + " slowVerifications=%d slowFailures=%d guardedSlowVerifications=%d"
              + " unguardedSlowFailures=%s honestFailures=%d decisions=%s violations=%d%n",
          mode, t.histories, t.historiesWithSlowFailures, t.slowVerifications, t.slowFailures,
          t.guardedSlowVerifications, t.unguardedSlowFailures, t.failures, t.decisions,
          t.violations.size());
      t.violations.stream().limit(20).forEach(v -> System.out.println(mode + ": " + v));
    });
    System.out.printf("gate-sim firstSeed=%d durationMs=%d%n", FIRST_SEED,
        (System.nanoTime() - started) / 1_000_000);
  }

  private static SystemSimulation.Totals run(ActivationGate gate) {
    SystemSimulation.Totals all = new SystemSimulation.Totals();
    for (long seed = FIRST_SEED; seed < FIRST_SEED + HISTORIES; seed++) {
      all.add(SystemSimulation.run(seed, gate));
    }
    return all;
  }

  @Test
  void everyModeKeepsEveryInvariantAndHonestVerifiersNeverFail() {
    runs.forEach((mode, t) -> {
      assertThat(t.violations).as(mode).isEmpty();
      assertThat(t.failures).as(mode).isZero();
      assertThat(t.slowVerifications).as(mode).isGreaterThan(20L * HISTORIES);
    });
  }

  @Test
  void withTheGateOffSlowVerifiersRejectTokensInANonzeroShareOfHistories() {
    SystemSimulation.Totals off = runs.get("off");
    assertThat(off.historiesWithSlowFailures).as("histories where a slow verifier failed")
        .isPositive();
    assertThat(off.slowFailures).isPositive();
    assertThat(off.guardedSlowVerifications).isZero();
    assertThat(off.decisions).isEmpty();
  }

  @Test
  void observeReportsTheLaggingVerifiersAndHoldsNothing() {
    SystemSimulation.Totals observe = runs.get("observe");
    assertThat(observe.decisions.getOrDefault(GateDecision.Outcome.Lagging, 0L)).isPositive();
    assertThat(observe.decisions).doesNotContainKeys(GateDecision.Outcome.Held,
        GateDecision.Outcome.MaxHoldReached, GateDecision.Outcome.TooLate);
    assertThat(observe.historiesWithSlowFailures).isPositive();
    assertThat(observe.guardedSlowVerifications).isZero();
  }

  @Test
  void holdWithinMaxHoldLeavesSlowVerifiersNoFailureButThoseOfRevokes() {
    SystemSimulation.Totals off = runs.get("off");
    SystemSimulation.Totals hold = runs.get("hold");
    assertThat(hold.decisions.getOrDefault(GateDecision.Outcome.Held, 0L)).isPositive();
    assertThat(hold.decisions.getOrDefault(GateDecision.Outcome.Unobserved, 0L))
        .as("holds while a replica could not be read").isPositive();
    // Every slow verification of a key the gate saw covered passed (a failure is a violation).
    assertThat(hold.guardedSlowVerifications).isGreaterThan(hold.slowVerifications / 2);
    // maxHold (1h) is never reached here, and the operator's down windows never covered a
    // decision window in these seeds: the only slow failures left are tokens of keys a revoke
    // promoted or created (never held, by design). Looked-gone and unread-replica failures are
    // violations of every history (SystemSimulation.slowVerification).
    assertThat(hold.decisions).doesNotContainKey(GateDecision.Outcome.MaxHoldReached);
    assertThat(hold.unguardedSlowFailures.keySet()).containsOnly("RevokePromotedOrCreated");
    assertThat(hold.slowFailures)
        .isEqualTo(hold.unguardedSlowFailures.getOrDefault("RevokePromotedOrCreated", 0L));
    assertThat(off.unguardedSlowFailures.getOrDefault("Off", 0L))
        .as("the same seeds fail without the gate").isPositive();
  }

  @Test
  void aMaxHoldTooShortForTheSlowVerifiersActivatesAnywayAndTheyFail() {
    SystemSimulation.Totals short1s = runs.get("hold-maxHold-1s");
    assertThat(short1s.decisions.getOrDefault(GateDecision.Outcome.MaxHoldReached, 0L))
        .isPositive();
    assertThat(short1s.unguardedSlowFailures.getOrDefault("HoldMaxHoldReached", 0L))
        .as("the documented limit: past maxHold the key activates with holdouts").isPositive();
  }
}
