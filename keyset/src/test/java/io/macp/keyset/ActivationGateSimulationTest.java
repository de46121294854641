package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A deterministic simulation of the activation gate: the real planner and gate, an operator that
 * reconciles at its deadlines (and every 2.5s), two issuer replicas (one always a full
 * propagation delay D behind), and verifiers that fetch the JWKS on their own cache TTL from the
 * replicas in turn. One verifier's real cache is 3× the declared verifierCacheTtl: with the gate
 * off it rejects tokens of freshly activated keys; in Hold mode nobody rejects anything while
 * maxHold is not exceeded. Every token is verified by every verifier when minted and again just
 * before it expires.
 *
 * <p>A fixed scenario with figures docs/rotation.md quotes. That no gate decision moves a time
 * earlier or is written later than {@code activateAt − D} is checked in every random history of
 * {@link SystemSimulation} instead, where {@link SystemSimulationGateTest} runs each mode.
 */
class ActivationGateSimulationTest {
  static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");
  static final ECKey BASE = (ECKey) KeyGenerator.secure().generate(KeySpec.es256());
  /** P 10s, C 4s, G 0, D 1s, K 1s, T 5s: lead time 6s. */
  static final RotationPolicy POLICY = new RotationPolicy(Duration.ofSeconds(10),
      Duration.ofSeconds(4), Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
      Duration.ofSeconds(5)).validated();
  static final long TICK = 100;
  static final Duration HORIZON = POLICY.period().multipliedBy(20);

  /** A verifier: fetches every {@code cacheMs} starting at {@code phaseMs}; gone from goneAtMs. */
  record Verifier(String name, long cacheMs, long phaseMs, long goneAtMs) {
    static Verifier honest(String name, long phaseMs) {
      return new Verifier(name, POLICY.verifierCacheTtl().toMillis(), phaseMs, Long.MAX_VALUE);
    }
  }

  static final List<Verifier> HONEST = List.of(
      Verifier.honest("rt-a", 300), Verifier.honest("rt-b", 1_700), Verifier.honest("rt-c", 3_100));
  /** Caches 3× the declared TTL (MACP_AUTH_JWKS_TTL_SECS set too high). */
  static final Verifier SLOW =
      new Verifier("rt-slow", 3 * POLICY.verifierCacheTtl().toMillis(), 5_500, Long.MAX_VALUE);

  /** The outcome of one run. */
  record Run(Map<String, Integer> failures, int verifications, List<GateDecision> decisions,
      List<Instant> storedAt, List<KeySet> stored, Set<String> signers) {
    int totalFailures() {
      return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    long count(GateDecision.Outcome o) {
      return decisions.stream().filter(d -> d.outcome() == o).count();
    }
  }

  @Test
  void withTheGateOffAVerifierCachingThreeTimesTheDeclaredTtlRejectsTokens() {
    Run run = report("off", simulate(ActivationGate.OFF, withSlow()));
    assertThat(run.failures().get("rt-slow")).as("the slow verifier fails").isPositive();
    HONEST.forEach(v -> assertThat(run.failures().get(v.name())).as(v.name()).isZero());
    assertThat(run.signers()).hasSizeGreaterThanOrEqualTo(18);
  }

  @Test
  void holdEndsTheRunWithZeroFailuresForEveryVerifier() {
    Run run = report("hold", simulate(
        new ActivationGate(ActivationGate.Mode.Hold, Duration.ofHours(1)), withSlow()));
    assertThat(run.failures()).allSatisfy((name, n) -> assertThat(n).as(name).isZero());
    assertThat(run.verifications()).isGreaterThan(30_000);
    assertThat(run.count(GateDecision.Outcome.Held)).isPositive();
    assertThat(run.count(GateDecision.Outcome.MaxHoldReached)).isZero();
    assertThat(run.count(GateDecision.Outcome.TooLate)).isZero();
    // Rotation still happens: holds only postpone by a few seconds each.
    assertThat(run.signers()).hasSizeGreaterThanOrEqualTo(15);
  }

  @Test
  void observeNamesTheSlowVerifierBeforeTheActivationAndChangesNothing() {
    Run off = simulate(ActivationGate.OFF, withSlow());
    Run observe = report("observe", simulate(
        new ActivationGate(ActivationGate.Mode.Observe, Duration.ofHours(1)), withSlow()));
    assertThat(activations(observe)).isEqualTo(activations(off));
    assertThat(observe.failures()).isEqualTo(off.failures());
    List<GateDecision> lagging = observe.decisions().stream()
        .filter(d -> d.outcome() == GateDecision.Outcome.Lagging).toList();
    assertThat(lagging).isNotEmpty().allSatisfy(d ->
        assertThat(d.holdouts()).extracting(ObservedVerifier::name).containsExactly("rt-slow"));
  }

  @Test
  void aMaxHoldTooShortForTheSlowVerifierActivatesAnywayWithAWarning() {
    Run run = report("hold-maxHold-1s", simulate(
        new ActivationGate(ActivationGate.Mode.Hold, Duration.ofSeconds(1)), withSlow()));
    assertThat(run.count(GateDecision.Outcome.MaxHoldReached)).isPositive();
    assertThat(run.decisions()).filteredOn(GateDecision::activatesWithHoldouts)
        .allSatisfy(d -> assertThat(d.activateAt()).isBeforeOrEqualTo(
            d.plannedActivateAt().plusSeconds(1)));
    assertThat(run.failures().get("rt-slow")).isPositive(); // the documented limit
  }

  @Test
  void aVerifierThatStoppedFetchingStopsCountingAfterTwoCachesPlusGrace() {
    // rt-gone fetches until 30s, then is gone (a scaled-down pod): its cache never gets a new key.
    List<Verifier> verifiers = new ArrayList<>(HONEST);
    verifiers.add(new Verifier("rt-gone", 4_000, 900, 30_000));
    Run run = simulate(new ActivationGate(ActivationGate.Mode.Hold, Duration.ofHours(1)),
        verifiers);
    assertThat(run.count(GateDecision.Outcome.MaxHoldReached)).isZero();
    Instant forgottenAt = T0.plusSeconds(30).plus(VerifierCoverage.goneAfter(POLICY));
    assertThat(run.decisions()).filteredOn(d -> d.outcome() == GateDecision.Outcome.Held)
        .allSatisfy(d -> assertThat(d.activateAt()).isBefore(forgottenAt.plus(
            POLICY.propagationDelay()).plus(POLICY.verifierCacheTtl().multipliedBy(2))));
    assertThat(run.signers()).hasSizeGreaterThanOrEqualTo(15);
    assertThat(run.totalFailures()).isZero();
  }

  /** The figures of a run, printed for the record (docs/rotation.md quotes them). */
  static Run report(String label, Run run) {
    System.out.printf("gate-sim %s: verifications=%d failures=%s signers=%d held=%d "
            + "maxHoldReached=%d tooLate=%d%n", label, run.verifications(), run.failures(),
        run.signers().size(), run.count(GateDecision.Outcome.Held),
        run.count(GateDecision.Outcome.MaxHoldReached), run.count(GateDecision.Outcome.TooLate));
    return run;
  }

  static List<Verifier> withSlow() {
    List<Verifier> v = new ArrayList<>(HONEST);
    v.add(SLOW);
    return v;
  }

  /** kid -> the instant it first signed on the replica without lag. */
  static Map<String, Instant> activations(Run run) {
    Map<String, Instant> out = new TreeMap<>();
    for (KeySet ks : run.stored()) {
      for (ManagedKey k : ks.keys()) {
        out.merge(k.kid(), k.activateAt(), (a, b) -> b);
      }
    }
    return out;
  }

  /** One simulated run over {@link #HORIZON}. */
  static Run simulate(ActivationGate gate, List<Verifier> verifiers) {
    AtomicInteger counter = new AtomicInteger();
    KeySetPlanner planner = new KeySetPlanner(
        spec -> new ECKey.Builder(BASE).keyID("k" + counter.incrementAndGet()).build());
    List<Instant> storedAt = new ArrayList<>();
    List<KeySet> stored = new ArrayList<>();
    long[] replicaLag = {0, POLICY.propagationDelay().toMillis()};
    List<Map<String, ObservedVerifier>> tables = List.of(new LinkedHashMap<>(),
        new LinkedHashMap<>());
    Map<String, Set<String>> cached = new HashMap<>();
    Map<String, Long> nextFetch = new HashMap<>();
    Map<String, Integer> fetchCount = new HashMap<>();
    Map<String, Integer> failures = new TreeMap<>();
    verifiers.forEach(v -> {
      failures.put(v.name(), 0);
      nextFetch.put(v.name(), v.phaseMs());
    });
    Deque<long[]> dueChecks = new ArrayDeque<>(); // {verifyAtMs, kid number}
    List<GateDecision> decisions = new ArrayList<>();
    Set<String> signers = new java.util.HashSet<>();
    int verifications = 0;

    KeySet ks = KeySet.empty();
    long nextReconcile = 0;
    String plannedKid = null;
    Instant plannedAt = null;
    for (long t = 0; t <= HORIZON.toMillis(); t += TICK) {
      Instant now = T0.plusMillis(t);
      if (t >= nextReconcile) {
        List<List<ObservedVerifier>> views = tables.stream()
            .map(m -> (List<ObservedVerifier>) new ArrayList<>(m.values())).toList();
        KeySetPlan plan = planner.plan(ks, POLICY, KeySpec.es256(), now, RotationRequests.NONE,
            new GateInput(gate, VerifierCoverage.merge(views), true, plannedKid, plannedAt));
        if (plan.changed() || stored.isEmpty()) {
          ks = plan.desired();
          storedAt.add(now);
          stored.add(ks);
        }
        GateDecision d = plan.gate();
        if (d.kid() != null) {
          decisions.add(d);
          if (!d.kid().equals(plannedKid)) {
            plannedKid = d.kid();
            plannedAt = d.plannedActivateAt();
          }
        }
        long deadline = plan.nextDeadline().map(x -> x.toEpochMilli() - T0.toEpochMilli())
            .orElse(Long.MAX_VALUE);
        nextReconcile = Math.min(deadline, t + 2_500);
      }
      // Replicas: each sees the key set stored up to its lag ago, and decides by its own clock.
      KeySet[] views = new KeySet[2];
      for (int r = 0; r < 2; r++) {
        views[r] = inForce(storedAt, stored, now.minusMillis(replicaLag[r]));
      }
      for (Verifier v : verifiers) {
        if (t >= v.goneAtMs() || t < nextFetch.get(v.name())) {
          continue;
        }
        int r = fetchCount.merge(v.name(), 1, Integer::sum) % 2;
        if (views[r] == null) {
          continue;
        }
        Set<String> kids = views[r].publishedAt(now).stream().map(ManagedKey::kid)
            .collect(Collectors.toSet());
        cached.put(v.name(), kids);
        tables.get(r).put(v.name(), new ObservedVerifier(v.name(), now, kids));
        nextFetch.put(v.name(), t + v.cacheMs());
      }
      for (int r = 0; r < 2; r++) {
        if (views[r] == null) {
          continue;
        }
        String kid = views[r].signerAt(now).orElseThrow().kid();
        signers.add(kid);
        verifications += verify(kid, t, verifiers, cached, failures);
        // Again just before it expires (T, within the skew K).
        dueChecks.add(new long[] {t + POLICY.maxTokenTtl().toMillis(),
            Long.parseLong(kid.substring(1))});
      }
      while (!dueChecks.isEmpty() && dueChecks.peekFirst()[0] <= t) {
        long[] due = dueChecks.pollFirst();
        verifications += verify("k" + due[1], t, verifiers, cached, failures);
      }
    }
    return new Run(failures, verifications, decisions, storedAt, stored, signers);
  }

  private static int verify(String kid, long t, List<Verifier> verifiers,
      Map<String, Set<String>> cached, Map<String, Integer> failures) {
    int n = 0;
    for (Verifier v : verifiers) {
      Set<String> kids = cached.get(v.name());
      if (t >= v.goneAtMs() || kids == null) {
        continue; // gone, or not started yet
      }
      n++;
      if (!kids.contains(kid)) {
        failures.merge(v.name(), 1, Integer::sum);
      }
    }
    return n;
  }

  private static KeySet inForce(List<Instant> times, List<KeySet> sets, Instant t) {
    KeySet found = null;
    for (int i = 0; i < times.size() && !times.get(i).isAfter(t); i++) {
      found = sets.get(i);
    }
    return found;
  }
}
