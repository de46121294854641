package io.macp.keyset;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic simulation of the whole rotation system on a virtual clock (milliseconds, no
 * threads, no sleeps): the operator, N issuer replicas, verifiers and clients. One seed is one
 * history; everything random in it comes from that seed, so a failing seed replays exactly.
 *
 * <ul>
 *   <li>The <b>operator</b> reconciles at its deadlines, at random extra instants and soon after
 *       each spec edit or request, and is sometimes down for several periods. It plans with the
 *       real {@link KeySetPlanner} and stores only documents that the real reader accepts.
 *   <li><b>Spec edits</b> change any timeline field ({@code P, C, G, D, K, T}, algorithm, RSA
 *       size) up or down to another valid value, often within {@code D} of an activation or just
 *       before a retirement. The environment has true values ({@code D, C, G, K} of the real
 *       replicas and verifiers); a valid spec never claims less than the truth.
 *   <li>Each <b>replica</b> loads every stored version after its own delay in {@code [0, D]}
 *       (never going back to an older one) and, after an edit of {@code T}, runs the previous pod
 *       template until its own rollout instant. It signs by the clock from its loaded document
 *       and clamps TTLs to {@code min(pod template T, signer's maxTokenTtl)}.
 *   <li><b>Verifiers</b> refresh the JWKS of a random replica on their own timer, at most every
 *       {@code C} (the true one), keep a stale copy up to {@code G} more when refreshes fail,
 *       never refetch on an unknown kid, and accept {@code exp} with a leeway of up to
 *       {@code K}. One or two <b>slow verifiers</b> per history cache longer than the declared
 *       {@code C} (up to 3×C): the misconfiguration the activation gate exists for.
 *   <li>The <b>activation gate</b> (Off, Observe or Hold, a random maxHold) is set at the start
 *       and edited among the spec edits. Each replica records the fetches it serves as the
 *       issuer's observer does; the operator, at each reconcile while it is up, reads the
 *       replicas (a read fails one time in ten) into the {@link VerifierCoverage} the planner
 *       takes, with whether every replica was read, and remembers the planned time per kid as
 *       its status does. Each replica keeps per client its latest fetch and the one before.
 *   <li><b>Clients</b> mint at random instants with random TTLs up to the maximum in force at the
 *       minting replica; each token is verified at random instants until {@code exp + K}.
 * </ul>
 *
 * <p>Checked after every step: zero failed verifications for tokens of keys not revoked at the
 * verification instant; a revoked key is refused by every verifier from {@code revokedAt + D +
 * C + G} (spec values when revoked) on, and by none before {@code revokedAt} — a stale cache can
 * accept it after {@code revokedAt}, never refuse it before; times that have passed never change
 * and announced ones move only as docs/rotation.md allows; every stored document round-trips
 * through {@link KeySetJson}; the JWKS never publishes more than {@link RotationPolicy#MAX_KEYS}.
 * Tokens of a key that had to sign before its lead time (an emergency promotion by revoke of the
 * active key, or a new key after every key was revoked) are counted apart, as documented.
 *
 * <p>The gate's invariants, on every plan of an observing gate against the same plan without it
 * ({@code checkGate}): only the pending key's activateAt changes, only later, only while
 * {@code now <= activateAt − D}, and the signer's retireAt/removeAt after it; never a revocation
 * or the signer (a revoke is never blocked or delayed); nothing outside Hold; a hold decided now
 * stays within maxHold; no decision about a kid is earlier than the previous one. In Hold, a slow
 * verifier fails only on a key a revoke promoted or created (never held, by design), past
 * maxHold, when the operator was down through the decision window, or when it had fetched only
 * once before a Covered decision ({@code HoldSeenOnce}: no refresh interval yet, judged on
 * {@code 2×C + G}, a documented limit): a failure on a key the gate called Covered (with the
 * verifier known, or unknown although it had an interval: it "looked gone"), a Waiting, Held or
 * Unobserved key not decided again while the operator was up, is a violation. Slow failures are counted by cause ({@code unguardedSlowFailures}).
 */
final class SystemSimulation {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  static final int REPLICAS = 3;
  static final int VERIFIERS = 4;
  /** At most this many slow verifiers (real cache up to 3× the declared C) per history. */
  static final int SLOW_VERIFIERS = 2;
  /** {@code -Dsim.trace=true}: print every decision (for replaying one seed). */
  static final boolean TRACE = Boolean.getBoolean("sim.trace");

  private static final ECKey EC = (ECKey) KeyGenerator.secure().generate(KeySpec.es256());
  private static final Map<Integer, RSAKey> RSA = new HashMap<>();

  /** Totals over histories. */
  static final class Totals {
    long histories;
    long events;
    long plans;
    long versions;
    long mints;
    long mintErrors;
    long verifications;
    long failures;
    long revokedRefused;
    long revokedAcceptedAfterRevoke;
    long emergencyVerifications;
    long emergencyFailures;
    /** Verifications by the slow verifiers (real cache longer than declared), and their failures. */
    long slowVerifications;
    long slowFailures;
    /** Histories where a slow verifier rejected at least one token. */
    long historiesWithSlowFailures;
    /** Slow verifications of keys the gate saw the verifier hold (Hold, Covered): never fail. */
    long guardedSlowVerifications;
    /** Slow failures by why the gate did not cover the key for that verifier. */
    final Map<String, Long> unguardedSlowFailures = new java.util.TreeMap<>();
    /** The gate's decisions by outcome. */
    final Map<GateDecision.Outcome, Long> decisions = new java.util.EnumMap<>(GateDecision.Outcome.class);
    long shadowPlans;
    long fetches;
    final List<String> violations = new ArrayList<>();

    void add(Totals o) {
      histories += o.histories;
      events += o.events;
      plans += o.plans;
      versions += o.versions;
      mints += o.mints;
      mintErrors += o.mintErrors;
      verifications += o.verifications;
      failures += o.failures;
      revokedRefused += o.revokedRefused;
      revokedAcceptedAfterRevoke += o.revokedAcceptedAfterRevoke;
      emergencyVerifications += o.emergencyVerifications;
      emergencyFailures += o.emergencyFailures;
      slowVerifications += o.slowVerifications;
      slowFailures += o.slowFailures;
      historiesWithSlowFailures += o.historiesWithSlowFailures;
      guardedSlowVerifications += o.guardedSlowVerifications;
      o.unguardedSlowFailures.forEach((k, v) -> unguardedSlowFailures.merge(k, v, Long::sum));
      o.decisions.forEach((k, v) -> decisions.merge(k, v, Long::sum));
      shadowPlans += o.shadowPlans;
      fetches += o.fetches;
      violations.addAll(o.violations);
    }

    String figure() {
      return "simulation: histories=" + histories + " events=" + events + " plans=" + plans
          + " storedVersions=" + versions + " mints=" + mints + " mintErrors=" + mintErrors
          + " verifications=" + verifications + " failures=" + failures
          + " revokedRefused=" + revokedRefused
          + " revokedAcceptedAfterRevoke=" + revokedAcceptedAfterRevoke
          + " emergencyVerifications=" + emergencyVerifications
          + " emergencyFailures=" + emergencyFailures
          + " fetches=" + fetches
          + " slowVerifications=" + slowVerifications + " slowFailures=" + slowFailures
          + " historiesWithSlowFailures=" + historiesWithSlowFailures
          + " guardedSlowVerifications=" + guardedSlowVerifications
          + " unguardedSlowFailures=" + unguardedSlowFailures
          + " gateDecisions=" + decisions + " shadowPlans=" + shadowPlans
          + " invariantViolations=" + violations.size();
    }
  }

  /** The real-world values a valid spec must not undercut. */
  record Truth(long d, long c, long g, long k) {}

  record Version(long at, KeySet set) {}

  enum Kind { EDIT, ROTATE, REVOKE_ACTIVE, REVOKE_PENDING, REVOKE_RETIRED }

  record UserEvent(long at, Kind kind) {}

  private final long seed;
  private final Random rnd;
  private final Totals totals = new Totals();
  private final Truth truth;
  private final List<Version> versions = new ArrayList<>();
  /** Spec history: the policy in force from each instant (the operator sees it from then on). */
  private final List<Long> policyFrom = new ArrayList<>();
  private final List<RotationPolicy> policies = new ArrayList<>();
  /** Per replica, per T edit index: the instant it runs the new pod template. */
  private final List<long[]> rollout = new ArrayList<>();
  private final List<Long> ttlEditAt = new ArrayList<>();
  private final List<Long> podTtlAfter = new ArrayList<>();
  private final Map<String, Long> revokedAt = new HashMap<>();
  private final Map<String, Long> revokeDeadline = new HashMap<>();
  private final Set<String> emergencyKeys = new HashSet<>();
  /** Per stored version, per replica: how long after the store the replica loads it. */
  private final List<long[]> lag = new ArrayList<>();
  /** The gate for the whole history, or null: random, and edited among the spec edits. */
  private final ActivationGate forcedGate;
  private final List<Verifier> verifiers = new ArrayList<>();
  /** What each replica saw of its JWKS clients, as the issuer's observer keeps it. */
  private final List<Map<String, ObservedVerifier>> observed = new ArrayList<>();
  /** Per kid, the gate's last decision about it (made while it was pending). */
  private final Map<String, Decided> lastDecision = new HashMap<>();
  private final Published[] published = new Published[REPLICAS];
  /** When the operator is down: [from, until) windows. */
  private final List<long[]> downs = new ArrayList<>();
  /** Keys a revoke of the active key promoted to sign at once: the gate never holds those. */
  private final Set<String> promoted = new HashSet<>();
  private int kidCounter;
  private long horizon;

  /**
   * A JWKS client. It refreshes on its own timer: every {@code cache} (the honest ones that are
   * not the worst case: a random interval up to it); an attempt fails with probability 0.3 while
   * its copy is younger than {@code cache + grace} (then it keeps the stale copy and retries
   * before that age). A slow verifier's {@code cache} is longer than the declared {@code C}.
   */
  static final class Verifier {
    final String name;
    final boolean slow;
    final boolean worst;
    final long cache;
    final long grace;
    final long leeway;
    long lastSuccess;
    long nextAttempt;
    final List<Long> fetchedAt = new ArrayList<>();
    final List<Set<String>> fetched = new ArrayList<>();

    Verifier(String name, boolean slow, boolean worst, long cache, long grace, long leeway) {
      this.name = name;
      this.slow = slow;
      this.worst = worst;
      this.cache = cache;
      this.grace = grace;
      this.leeway = leeway;
    }

    /** The JWKS it holds at t: its latest successful fetch at or before t. */
    Set<String> cachedAt(long t) {
      int i = latestAtOrBefore(t);
      return i < 0 ? Set.of() : fetched.get(i);
    }

    /** When it last fetched at or before t, or -1. */
    long fetchedBefore(long t) {
      int i = latestAtOrBefore(t);
      return i < 0 ? -1 : fetchedAt.get(i);
    }

    private int latestAtOrBefore(long t) {
      int i = java.util.Collections.binarySearch(fetchedAt, t);
      i = i >= 0 ? i : -i - 2;
      while (i + 1 < fetchedAt.size() && fetchedAt.get(i + 1) == t) {
        i++;
      }
      return i;
    }
  }

  /** A gate decision about one kid, with who it counted as known. */
  record Decided(long at, ActivationGate.Mode mode, GateDecision.Outcome outcome,
      Set<String> known, Instant activateAt) {}

  private SystemSimulation(long seed, ActivationGate forcedGate) {
    this.seed = seed;
    this.rnd = new Random(seed);
    // C at least 100 ms: the verifiers refresh on a timer, and one that does not cache at all
    // would fetch without end.
    this.truth = new Truth(ms(3_000), 100 + ms(7_900), rnd.nextBoolean() ? 0 : ms(8_000),
        ms(2_000));
    this.forcedGate = forcedGate;
    for (int r = 0; r < REPLICAS; r++) {
      observed.add(new HashMap<>());
    }
  }

  /** Runs one history and returns its totals (violations carry the seed). */
  static Totals run(long seed) {
    return run(seed, null);
  }

  /**
   * Runs one history with the activation gate fixed to {@code gate} throughout (no gate edits),
   * or random and edited when null.
   */
  static Totals run(long seed, ActivationGate gate) {
    SystemSimulation s = new SystemSimulation(seed, gate);
    try {
      s.operatorHistory();
      s.clients();
    } catch (RuntimeException e) {
      s.violation("exception " + e);
    }
    s.totals.histories = 1;
    return s.totals;
  }

  // ---------------------------------------------------------------- the operator and the spec

  private void operatorHistory() {
    RotationPolicy policy = randomPolicy(null);
    KeySpec spec = randomSpec();
    setPolicy(T0.toEpochMilli(), policy);
    long t0 = T0.toEpochMilli();
    horizon = t0 + policy.period().toMillis() * (6 + rnd.nextInt(6));
    KeySetPlanner planner = new KeySetPlanner(this::generate);
    ActivationGate gate = forcedGate != null ? forcedGate : randomGate(policy);
    startVerifiers(policy);

    List<UserEvent> events = new ArrayList<>();
    int n = 3 + rnd.nextInt(8);
    for (int i = 0; i < n; i++) {
      double r = rnd.nextDouble();
      Kind kind = r < 0.5 ? Kind.EDIT : r < 0.65 ? Kind.ROTATE : r < 0.78 ? Kind.REVOKE_ACTIVE
          : r < 0.89 ? Kind.REVOKE_PENDING : Kind.REVOKE_RETIRED;
      events.add(new UserEvent(t0 + 1 + (long) (rnd.nextDouble() * (horizon - t0)), kind));
    }
    events.sort(Comparator.comparingLong(UserEvent::at));
    downs.clear();
    if (rnd.nextDouble() < 0.4) {
      int windows = 1 + rnd.nextInt(2);
      for (int i = 0; i < windows; i++) {
        long from = t0 + (long) (rnd.nextDouble() * (horizon - t0));
        downs.add(new long[] {from, from + (long) (rnd.nextDouble() * 4 * policy.period().toMillis())});
      }
    }
    totals.events = events.size();

    KeySet stored = KeySet.empty();
    long now = t0;
    boolean rotate = false;
    List<String> revokes = new ArrayList<>();
    int nextEvent = 0;
    Instant deadline = null;
    String plannedKid = null;
    Instant plannedAt = null;
    boolean first = true;
    while (now < horizon) {
      // Handle the user events up to now: edits apply to the spec, requests wait as annotations.
      while (nextEvent < events.size() && events.get(nextEvent).at() <= now) {
        UserEvent e = events.get(nextEvent++);
        switch (e.kind()) {
          case EDIT -> {
            double x = rnd.nextDouble();
            if (x < 0.2) {
              KeySpec newSpec = randomSpec();
              spec = newSpec;
            } else if (x < 0.35) {
              ActivationGate edited = randomGate(policy);
              gate = forcedGate != null ? forcedGate : edited;
            } else {
              RotationPolicy edited = randomPolicy(policy);
              if (!edited.equals(policy)) {
                setPolicy(e.at(), edited);
                policy = edited;
              }
            }
          }
          case ROTATE -> rotate = true;
          default -> pickVictim(stored, e.kind(), e.at()).ifPresent(revokes::add);
        }
      }
      if (!first && down(downs, now)) {
        now = downEnd(downs, now);
        continue;
      }
      first = false;
      RequestsApplied applied = new RequestsApplied(rotate, List.copyOf(revokes));
      // The verifiers fetch until now; the operator collects what the replicas it reaches saw.
      advanceWorld(now);
      Collected collected = gate.observes() ? collect() : new Collected(VerifierCoverage.NONE, true);
      VerifierCoverage coverage = collected.coverage();
      GateInput gateInput =
          new GateInput(gate, coverage, collected.complete(), plannedKid, plannedAt);
      RotationRequests requests = new RotationRequests(rotate, revokes);
      KeySetPlan plan;
      try {
        KeySetPlan ungated = null;
        boolean requested = rotate || !revokes.isEmpty();
        if (gate.mode() == ActivationGate.Mode.Hold || (gate.observes() && requested)
            || (gate.observes() && totals.plans % 4 == 0)) {
          // The same plan without the gate, generating the same kids: what the gate may change.
          // (Every plan in Hold or with a request; one in four in Observe, which changes nothing,
          // to keep the run short.)
          int kids = kidCounter;
          ungated = planner.plan(stored, policy, spec, Instant.ofEpochMilli(now), requests);
          kidCounter = kids;
          totals.shadowPlans++;
        }
        plan = planner.plan(stored, policy, spec, Instant.ofEpochMilli(now), requests, gateInput);
        if (ungated != null) {
          checkGate(ungated, plan, gate, now, policy, applied);
        }
      } catch (PlanRefusedException e) {
        // The operator reports the refusal and writes nothing; the requests stay pending.
        violation("plan refused at " + Instant.ofEpochMilli(now) + ": " + e.getMessage());
        return;
      }
      totals.plans++;
      rotate = false;
      revokes.clear();
      GateDecision decision = plan.gate();
      if (!gate.observes()) {
        // Off: remembered too, so a key whose last look was Off is not counted as held.
        ManagedKey pendingKey =
            plan.desired().nextToActivateAfter(Instant.ofEpochMilli(now)).orElse(null);
        if (pendingKey != null) {
          lastDecision.put(pendingKey.kid(), new Decided(now, ActivationGate.Mode.Off,
              GateDecision.Outcome.Off, Set.of(), pendingKey.activateAt()));
        }
      }
      if (decision.kid() != null) {
        totals.decisions.merge(decision.outcome(), 1L, Long::sum);
        Set<String> known = new HashSet<>();
        coverage.knownAt(Instant.ofEpochMilli(now), policy).forEach(v -> known.add(v.name()));
        lastDecision.put(decision.kid(),
            new Decided(now, gate.mode(), decision.outcome(), known, decision.activateAt()));
      }
      // What the operator's status remembers for the next reconcile (maxHold counts from it).
      plannedKid = decision.kid();
      plannedAt = decision.plannedActivateAt();
      if (plan.changed()) {
        KeySet written = roundTrip(plan.desired(), now);
        checkStep(stored, written, now, policy, applied);
        stored = written;
        storeVersion(now, written);
      }
      deadline = plan.nextDeadline().orElse(null);
      if (TRACE) {
        System.out.println("trace " + Instant.ofEpochMilli(now) + " gate=" + gate + " C="
            + policy.verifierCacheTtl() + " G=" + policy.verifierStaleGrace() + " D="
            + policy.propagationDelay() + " complete=" + collected.complete() + " decision="
            + decision + " deadline=" + deadline + " coverage=" + coverage.verifiers());
      }
      // Next wake: the deadline (a little late), a spec/requests event soon after it happens, or
      // a random extra reconcile.
      long next = deadline == null ? now + policy.period().toMillis() : deadline.toEpochMilli();
      next += (long) (rnd.nextDouble() * 300);
      if (rnd.nextDouble() < 0.3) {
        next = Math.min(next, now + 1 + (long) (rnd.nextDouble() * policy.period().toMillis() / 3));
      }
      if (nextEvent < events.size()) {
        long soon = events.get(nextEvent).at() + (long) (rnd.nextDouble() * 200);
        next = Math.min(next, Math.max(soon, now + 1));
      }
      now = Math.max(next, now + 1);
    }
    if (versions.isEmpty()) {
      violation("no key set was ever stored");
    }
  }

  record RequestsApplied(boolean rotate, List<String> revokes) {}

  /** The victim the person names, from what status shows (the stored key set) at that instant. */
  private java.util.Optional<String> pickVictim(KeySet stored, Kind kind, long at) {
    Instant t = Instant.ofEpochMilli(at);
    List<ManagedKey> candidates = new ArrayList<>();
    for (ManagedKey k : stored.keys()) {
      if (k.isRevoked()) {
        continue;
      }
      KeyPhase phase = stored.phaseAt(k, t);
      if ((kind == Kind.REVOKE_ACTIVE && phase == KeyPhase.Active)
          || (kind == Kind.REVOKE_PENDING && phase == KeyPhase.Published)
          || (kind == Kind.REVOKE_RETIRED && phase == KeyPhase.Retired)) {
        candidates.add(k);
      }
    }
    if (candidates.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(candidates.get(rnd.nextInt(candidates.size())).kid());
  }

  private void setPolicy(long at, RotationPolicy p) {
    RotationPolicy previous = policies.isEmpty() ? null : policies.get(policies.size() - 1);
    policyFrom.add(at);
    policies.add(p);
    if (previous == null || !previous.maxTokenTtl().equals(p.maxTokenTtl())) {
      // A new pod template: each replica runs it from its own instant within the rollout window.
      long window = previous == null ? 0 : (long) (rnd.nextDouble() * 4 * truth.d() + 1000);
      long[] at2 = new long[REPLICAS];
      for (int r = 0; r < REPLICAS; r++) {
        at2[r] = at + (long) (rnd.nextDouble() * window);
      }
      ttlEditAt.add(at);
      podTtlAfter.add(p.maxTokenTtl().toMillis());
      rollout.add(at2);
    }
  }

  RotationPolicy policyAt(long t) {
    RotationPolicy p = policies.get(0);
    for (int i = 0; i < policyFrom.size() && policyFrom.get(i) <= t; i++) {
      p = policies.get(i);
    }
    return p;
  }

  /** The pod template's maximum TTL a replica runs at t (the previous one until it rolls). */
  long podTtl(int replica, long t) {
    long ttl = podTtlAfter.get(0);
    for (int i = 1; i < ttlEditAt.size(); i++) {
      if (rollout.get(i)[replica] <= t) {
        ttl = podTtlAfter.get(i);
      }
    }
    return ttl;
  }

  /** A valid policy: a random one, or {@code from} with one field edited up or down. */
  private RotationPolicy randomPolicy(RotationPolicy from) {
    for (int attempt = 0; attempt < 20; attempt++) {
      Duration d = from == null ? ofMs(truth.d() + ms(3_000)) : from.propagationDelay();
      Duration c = from == null ? ofMs(truth.c() + ms(6_000)) : from.verifierCacheTtl();
      Duration g = from == null ? ofMs(truth.g() + (rnd.nextBoolean() ? 0 : ms(6_000)))
          : from.verifierStaleGrace();
      Duration k = from == null ? ofMs(truth.k() + ms(2_000)) : from.clockSkew();
      Duration t = from == null ? ofMs(1_000 + ms(40_000)) : from.maxTokenTtl();
      Duration p = from == null ? null : from.period();
      int field = from == null ? -1 : rnd.nextInt(6);
      switch (field) {
        case 0 -> d = ofMs(truth.d() + ms(4_000));
        case 1 -> c = ofMs(truth.c() + ms(10_000));
        case 2 -> g = ofMs(truth.g() + (rnd.nextBoolean() ? 0 : ms(10_000)));
        case 3 -> k = ofMs(truth.k() + ms(3_000));
        case 4 -> t = ofMs(1_000 + ms(60_000));
        default -> { }
      }
      Duration lead = d.plus(c).plus(g).plus(k);
      Duration minForBound =
          ofMs((t.plus(k).toMillis() + RotationPolicy.MAX_KEYS - 3) / (RotationPolicy.MAX_KEYS - 2));
      if (p == null || field == 5) {
        p = lead.plus(ofMs(ms(30_000))).plusMillis(1);
        if (p.compareTo(minForBound) < 0) {
          p = minForBound.plus(ofMs(ms(5_000)));
        }
      }
      RotationPolicy candidate = new RotationPolicy(p, c, g, d, k, t);
      if (candidate.problems().isEmpty()) {
        return candidate;
      }
    }
    return from;
  }

  private KeySpec randomSpec() {
    // Mostly EC: RSA documents cost more to write and read, and the kind only matters at a change.
    return switch (rnd.nextInt(8)) {
      case 0 -> new KeySpec(SigningAlgorithm.RS256, 2048);
      case 1 -> new KeySpec(SigningAlgorithm.RS256, 3072);
      case 2 -> new KeySpec(SigningAlgorithm.RS256, 4096);
      default -> KeySpec.es256();
    };
  }

  /** Fresh kids on shared key material: key generation is not what is simulated. */
  private JWK generate(KeySpec spec) {
    String kid = "k" + (++kidCounter);
    if (spec.algorithm() == SigningAlgorithm.ES256) {
      return new ECKey.Builder(EC).keyID(kid).build();
    }
    RSAKey base;
    synchronized (RSA) {
      base = RSA.computeIfAbsent(spec.rsaKeySize(),
          size -> (RSAKey) KeyGenerator.secure().generate(new KeySpec(SigningAlgorithm.RS256, size)));
    }
    return new RSAKey.Builder(base).keyID(kid).build();
  }

  /** What the issuers read back: the stored bytes through the real reader. */
  private KeySet roundTrip(KeySet planned, long now) {
    String json = KeySetJson.write(planned);
    if (json.length() > KeySetJson.MAX_DOCUMENT_BYTES) {
      violation("document of " + json.length() + " bytes at " + Instant.ofEpochMilli(now));
    }
    try {
      KeySet read = KeySetJson.parse(json);
      if (!kids(read).equals(kids(planned))) {
        violation("round trip changed the kids at " + Instant.ofEpochMilli(now));
      }
      return read;
    } catch (InvalidKeySetException e) {
      violation("stored document refused by its reader at " + Instant.ofEpochMilli(now) + ": "
          + e.getMessage());
      return planned;
    }
  }

  // ------------------------------------------------------------------ the activation gate

  /** Off, Observe or Hold, with a maxHold of 0, up to 3×C, or the default 1h. */
  private ActivationGate randomGate(RotationPolicy policy) {
    ActivationGate.Mode mode = ActivationGate.Mode.values()[rnd.nextInt(3)];
    double x = rnd.nextDouble();
    Duration maxHold = x < 0.15 ? Duration.ZERO
        : x < 0.45 ? ofMs((long) (rnd.nextDouble() * 3 * Math.max(1_000,
            policy.verifierCacheTtl().toMillis())))
        : ActivationGate.DEFAULT_MAX_HOLD;
    return new ActivationGate(mode, maxHold);
  }

  /**
   * {@link #VERIFIERS} honest verifiers (half of them the worst case: the true C, G and K) and
   * one or two slow ones, whose real cache is longer than the declared C at the start, up to 3×C.
   * All fetch at the start, when the pods serve the first key set.
   */
  private void startVerifiers(RotationPolicy policy) {
    for (int i = 0; i < VERIFIERS; i++) {
      boolean worst = i < VERIFIERS / 2;
      long cache = worst ? truth.c() : 100 + (long) (rnd.nextDouble() * (truth.c() - 100));
      long grace = worst ? truth.g() : (long) (rnd.nextDouble() * truth.g());
      long leeway = worst ? truth.k() : (long) (rnd.nextDouble() * truth.k());
      verifiers.add(new Verifier("v" + i, false, worst, cache, grace, leeway));
    }
    long declared = Math.max(1, policy.verifierCacheTtl().toMillis());
    int slow = 1 + rnd.nextInt(SLOW_VERIFIERS);
    for (int i = 0; i < slow; i++) {
      long cache = declared + 1 + (long) (rnd.nextDouble() * 2 * declared);
      verifiers.add(new Verifier("slow" + i, true, false, cache, 0, truth.k()));
    }
    for (Verifier v : verifiers) {
      v.lastSuccess = Long.MIN_VALUE / 4;
      v.nextAttempt = T0.toEpochMilli();
    }
  }

  /**
   * Every verifier's fetch attempts before {@code until}, in their order: a successful one takes
   * the JWKS of a random replica as that replica publishes it then, and that replica records the
   * fetch as the issuer's observer does (per client: the latest fetch and its kids).
   */
  private void advanceWorld(long until) {
    for (Verifier v : verifiers) {
      while (v.nextAttempt < until) {
        long t = v.nextAttempt;
        long staleUntil = v.lastSuccess + v.cache + v.grace;
        if (v.grace > 0 && t < staleUntil && rnd.nextDouble() < 0.3) {
          // The refresh fails: it keeps its copy, and retries before the copy is too stale.
          v.nextAttempt = t + 1 + (long) (rnd.nextDouble() * (staleUntil - t - 1));
          continue;
        }
        int r = rnd.nextInt(REPLICAS);
        Set<String> kids = jwks(r, t);
        v.lastSuccess = t;
        v.fetchedAt.add(t);
        v.fetched.add(kids);
        // as the issuer's table: per client the latest fetch, the one before it, and the kids
        ObservedVerifier before = observed.get(r).get(v.name);
        observed.get(r).put(v.name, new ObservedVerifier(v.name, Instant.ofEpochMilli(t),
            before == null || !before.lastFetch().isBefore(Instant.ofEpochMilli(t)) ? null
                : before.lastFetch(), kids));
        totals.fetches++;
        long interval = v.worst || v.slow ? v.cache
            : v.cache / 2 + (long) (rnd.nextDouble() * (v.cache - v.cache / 2));
        v.nextAttempt = t + Math.max(1, interval);
      }
    }
  }

  /** What the operator read: the merged view, and whether every replica was read. */
  record Collected(VerifierCoverage coverage, boolean complete) {}

  /** The operator reads each replica's view; one in ten reads fails (that replica is missing). */
  private Collected collect() {
    List<List<ObservedVerifier>> read = new ArrayList<>();
    for (Map<String, ObservedVerifier> replica : observed) {
      if (rnd.nextDouble() < 0.9) {
        read.add(new ArrayList<>(replica.values()));
      }
    }
    return new Collected(VerifierCoverage.merge(read), read.size() == observed.size());
  }

  private void storeVersion(long now, KeySet written) {
    long[] l = new long[REPLICAS];
    for (int r = 0; r < REPLICAS; r++) {
      double x = rnd.nextDouble();
      // The first version is in place before the pods start (they mount the Secret).
      l[r] = versions.isEmpty() ? 0 : x < 0.35 ? truth.d() : x < 0.5 ? 0
          : (long) (rnd.nextDouble() * truth.d());
    }
    versions.add(new Version(now, written));
    lag.add(l);
    totals.versions++;
  }

  /**
   * What the gate may change in a plan, against the same plan without it: only the pending key's
   * activateAt, only later, only while {@code now <= activateAt − D}, and the signer's retireAt
   * and removeAt after it, only later; never a revocation, never the signer (so a revoke, and
   * the promotion it makes, is never blocked or delayed); nothing at all outside Hold; a Held
   * decision within maxHold of the planned time; and no decision about a kid earlier than the
   * previous one, unless a rotate or revoke request moved it.
   */
  private void checkGate(KeySetPlan ungated, KeySetPlan gated, ActivationGate gate, long nowMs, RotationPolicy policy, RequestsApplied req) {
    Instant now = Instant.ofEpochMilli(nowMs);
    String where = "gate " + gate + " at " + now;
    KeySet u = ungated.desired();
    KeySet g = gated.desired();
    GateDecision d = gated.gate();
    if (gate.mode() != ActivationGate.Mode.Hold && !g.equals(u)) {
      violation(where + ": changed the plan outside Hold");
    }
    if (!kids(u).equals(kids(g))) {
      violation(where + ": changed which keys exist");
    }
    String signerU = u.signerAt(now).map(ManagedKey::kid).orElse(null);
    String signerG = g.signerAt(now).map(ManagedKey::kid).orElse(null);
    if (!Objects.equals(signerU, signerG)) {
      violation(where + ": changed the signer from " + signerU + " to " + signerG);
    }
    String pending = u.nextToActivateAfter(now).map(ManagedKey::kid).orElse(null);
    for (ManagedKey k : g.keys()) {
      ManagedKey o = u.find(k.kid()).orElse(null);
      if (o == null) {
        continue;
      }
      String who = where + ", key " + k.kid();
      if (!Objects.equals(o.revokedAt(), k.revokedAt()) || !o.createdAt().equals(k.createdAt())) {
        violation(who + ": changed a revocation or a creation");
      }
      if (k.activateAt().isBefore(o.activateAt())) {
        violation(who + ": activateAt " + o.activateAt() + " moved earlier to " + k.activateAt());
      } else if (k.activateAt().isAfter(o.activateAt())) {
        if (!k.kid().equals(pending)) {
          violation(who + ": moved a key that is not the pending one");
        } else if (now.isAfter(o.activateAt().minus(policy.propagationDelay()))) {
          violation(who + ": hold of " + o.activateAt() + " to " + k.activateAt()
              + " decided later than activateAt − D");
        }
      }
      if (earlier(o.retireAt(), k.retireAt()) || earlier(o.removeAt(), k.removeAt())) {
        violation(who + ": retireAt/removeAt " + o.retireAt() + "/" + o.removeAt()
            + " moved earlier to " + k.retireAt() + "/" + k.removeAt());
      }
    }
    // A hold decided now stays within maxHold of the planned time (one decided earlier, under
    // another maxHold, is kept as it is: times never move earlier).
    boolean movedNow = pending != null && d.activateAt() != null
        && d.activateAt().isAfter(u.find(pending).orElseThrow().activateAt());
    if (movedNow && ((d.outcome() != GateDecision.Outcome.Held
            && d.outcome() != GateDecision.Outcome.Unobserved)
        || gate.mode() != ActivationGate.Mode.Hold
        || d.activateAt().isAfter(d.plannedActivateAt().plus(gate.maxHold())))) {
      violation(where + ": held " + d.kid() + " to " + d.activateAt() + ", planned "
          + d.plannedActivateAt());
    }
    Decided before = d.kid() == null ? null : lastDecision.get(d.kid());
    if (before != null && before.activateAt() != null && !req.rotate() && req.revokes().isEmpty()
        && d.activateAt().isBefore(before.activateAt())) {
      violation(where + ": decided " + d.kid() + " activates at " + d.activateAt()
          + ", earlier than the previous decision " + before.activateAt());
    }
  }

  private static boolean earlier(Instant before, Instant after) {
    return before != null && (after == null || after.isBefore(before));
  }

  // ----------------------------------------------------------------- per-step invariants

  private void checkStep(
      KeySet before, KeySet after, long nowMs, RotationPolicy policy, RequestsApplied req) {
    Instant now = Instant.ofEpochMilli(nowMs);
    Instant safe = now.plus(policy.propagationDelay());
    Map<String, ManagedKey> old = new HashMap<>();
    for (ManagedKey k : before.keys()) {
      old.put(k.kid(), k);
    }
    String signerBefore = before.signerAt(now).map(ManagedKey::kid).orElse(null);
    boolean activeRevoked = signerBefore != null && req.revokes().contains(signerBefore);
    for (ManagedKey k : after.keys()) {
      if (k.isRevoked() && !revokedAt.containsKey(k.kid())) {
        revokedAt.put(k.kid(), k.revokedAt().toEpochMilli());
        RotationPolicy at = policyAt(k.revokedAt().toEpochMilli());
        revokeDeadline.put(k.kid(), k.revokedAt().toEpochMilli() + at.propagationDelay()
            .plus(at.verifierCacheTtl()).plus(at.verifierStaleGrace()).toMillis());
      }
      ManagedKey o = old.get(k.kid());
      if (o == null) {
        if (!versions.isEmpty() && k.activateAt().isBefore(k.createdAt().plus(policy.leadTime()))) {
          emergencyKeys.add(k.kid());
        }
        continue;
      }
      String who = "key " + k.kid() + " at " + now;
      if (!o.createdAt().equals(k.createdAt())) {
        violation(who + ": createdAt changed");
      }
      if (!o.activateAt().equals(k.activateAt())) {
        if (!o.activateAt().isAfter(now)) {
          violation(who + ": activateAt " + o.activateAt() + " had passed but changed");
        } else if (activeRevoked && k.activateAt().equals(now)) {
          promoted.add(k.kid());
          if (k.activateAt().isBefore(k.createdAt().plus(policy.leadTime()))) {
            emergencyKeys.add(k.kid());
          }
        } else if (o.activateAt().isBefore(safe)
            || (o.activateAt().equals(safe) && !k.activateAt().isAfter(o.activateAt()))) {
          // A hold may be written at activateAt − D exactly: a replica D behind has it in time.
          violation(who + ": pending activateAt " + o.activateAt() + " moved within D");
        } else if (k.activateAt().isBefore(o.activateAt())
            && (!req.rotate() || k.activateAt().isBefore(safe))) {
          violation(who + ": activateAt moved earlier without a rotate request, or within D");
        }
      }
      checkTime(who, "retireAt", o.retireAt(), k.retireAt(), now, req.rotate() ? safe : null);
      checkTime(who, "removeAt", o.removeAt(), k.removeAt(), now, null);
      if (o.maxTokenTtl() != null
          && (k.maxTokenTtl() == null || k.maxTokenTtl().compareTo(o.maxTokenTtl()) < 0)) {
        violation(who + ": maxTokenTtl decreased");
      }
      if (o.isRevoked() && !k.equals(o)) {
        violation(who + ": a revoked key changed");
      }
    }
    for (ManagedKey o : before.keys()) {
      if (after.find(o.kid()).isPresent() || o.isRevoked()) {
        continue;
      }
      boolean expired = o.removeAt() != null && !now.isBefore(o.removeAt());
      boolean withdrawnUnsigned = o.activateAt().isAfter(safe);
      if (!expired && !withdrawnUnsigned) {
        violation("key " + o.kid() + " left the key set at " + now + " before its removeAt "
            + o.removeAt());
      }
    }
    // The JWKS stays within the bound now and at every future instant the document changes it.
    List<Instant> instants = new ArrayList<>();
    instants.add(now);
    for (ManagedKey k : after.keys()) {
      for (Instant t : new Instant[] {k.activateAt(), k.removeAt()}) {
        if (t != null && t.isAfter(now)) {
          instants.add(t);
        }
      }
    }
    for (Instant t : instants) {
      int published = after.publishedAt(t).size();
      if (published > RotationPolicy.MAX_KEYS) {
        violation(published + " keys published at " + t + " (planned " + now + ")");
      }
    }
    if (after.keys().size() > 2 * RotationPolicy.MAX_KEYS) {
      violation(after.keys().size() + " keys in the document at " + now);
    }
  }

  private void checkTime(
      String who, String field, Instant before, Instant after, Instant now, Instant earliestMove) {
    if (before == null || Objects.equals(before, after)) {
      return;
    }
    if (!before.isAfter(now)) {
      violation(who + ": " + field + " " + before + " had passed but became " + after);
    } else if (after == null) {
      violation(who + ": announced " + field + " " + before + " was withdrawn");
    } else if (after.isBefore(before) && (earliestMove == null || after.isBefore(earliestMove))) {
      violation(who + ": announced " + field + " " + before + " moved earlier to " + after);
    }
  }

  // --------------------------------------------------------- replicas, clients, verifiers

  /** The version replica r has loaded at t (the newest it has received), or -1. */
  int loaded(int r, long t) {
    for (int v = versions.size() - 1; v >= 0; v--) {
      if (versions.get(v).at() + lag.get(v)[r] <= t) {
        return v;
      }
    }
    return -1;
  }

  private void clients() {
    long t0 = T0.toEpochMilli();
    record Check(long at, int verifier, String kid, long minted, long exp) {}
    List<Check> checks = new ArrayList<>();
    int mints = 25 + rnd.nextInt(20);
    List<Long> hot = hotInstants();
    for (int i = 0; i < mints; i++) {
      long m;
      if (!hot.isEmpty() && rnd.nextDouble() < 0.6) {
        long d = Math.max(1, truth.d());
        m = hot.get(rnd.nextInt(hot.size())) - 2 * d + (long) (rnd.nextDouble() * 4 * d);
      } else {
        m = t0 + (long) (rnd.nextDouble() * (horizon - t0));
      }
      m = Math.max(t0, Math.min(m, horizon));
      int r = rnd.nextInt(REPLICAS);
      int v = loaded(r, m);
      totals.mints++;
      Instant mi = Instant.ofEpochMilli(m);
      ManagedKey signer = v < 0 ? null : versions.get(v).set().signerAt(mi).orElse(null);
      if (signer == null) {
        totals.mintErrors++;
        continue;
      }
      long max = podTtl(r, m);
      if (signer.maxTokenTtl() != null) {
        max = Math.min(max, signer.maxTokenTtl().toMillis());
      }
      long ttl = rnd.nextDouble() < 0.5 ? max : 1 + (long) (rnd.nextDouble() * max);
      long exp = m + ttl;
      for (int j = 0; j < 8; j++) {
        int verifier = rnd.nextInt(verifiers.size());
        long end = exp + verifiers.get(verifier).leeway; // exclusive
        double x = rnd.nextDouble();
        long at = x < 0.3 ? end - 1 : x < 0.45 ? m : m + (long) (rnd.nextDouble() * (end - m));
        checks.add(new Check(at, verifier, signer.kid(), m, exp));
      }
    }
    checks.sort(Comparator.comparingLong(Check::at));
    // The verifiers keep fetching on their timers until the last verification.
    advanceWorld(checks.isEmpty() ? horizon : checks.get(checks.size() - 1).at() + 1);
    boolean slowFailed = false;
    for (Check c : checks) {
      int i = c.verifier();
      Verifier verifier = verifiers.get(i);
      boolean ok = verifier.cachedAt(c.at()).contains(c.kid());
      totals.verifications++;
      Long revoked = revokedAt.get(c.kid());
      String what = "token of " + c.kid() + " minted " + Instant.ofEpochMilli(c.minted()) + " exp "
          + Instant.ofEpochMilli(c.exp()) + " verified " + Instant.ofEpochMilli(c.at())
          + " by verifier " + verifier.name + " (JWKS fetched "
          + Instant.ofEpochMilli(verifier.fetchedBefore(c.at())) + ")";
      if (revoked != null && c.at() >= revoked) {
        if (ok) {
          totals.revokedAcceptedAfterRevoke++;
          if (c.at() >= revokeDeadline.get(c.kid()) && !verifier.slow) {
            violation(what + ": revoked at " + Instant.ofEpochMilli(revoked)
                + " and still accepted after the announced deadline "
                + Instant.ofEpochMilli(revokeDeadline.get(c.kid())));
          }
        } else {
          totals.revokedRefused++;
        }
      } else if (emergencyKeys.contains(c.kid()) && young(c.kid(), c.minted())) {
        totals.emergencyVerifications++;
        if (!ok) {
          totals.emergencyFailures++;
        }
      } else if (verifier.slow) {
        slowFailed |= slowVerification(verifier, c.kid(), ok, what);
      } else if (!ok) {
        totals.failures++;
        violation("failed verification: " + what);
      }
    }
    if (slowFailed) {
      totals.historiesWithSlowFailures++;
    }
  }

  /**
   * A verification by a slow verifier. The gate guards a key for it when its last decision about
   * the key, in Hold, found every known verifier holding it and this verifier among the known:
   * then it never fails. Otherwise a failure is expected (that is what the gate is for) and is
   * counted by why the key was not guarded.
   *
   * @return whether it failed
   */
  private boolean slowVerification(Verifier v, String kid, boolean ok, String what) {
    totals.slowVerifications++;
    Decided d = lastDecision.get(kid);
    boolean guarded = d != null && d.mode() == ActivationGate.Mode.Hold
        && d.outcome() == GateDecision.Outcome.Covered && d.known().contains(v.name);
    if (guarded) {
      totals.guardedSlowVerifications++;
    }
    if (ok) {
      return false;
    }
    totals.slowFailures++;
    if (guarded) {
      violation("failed verification by a slow verifier the gate saw holding the key (decided "
          + Instant.ofEpochMilli(d.at()) + "): " + what);
      return true;
    }
    String why;
    if (promoted.contains(kid) || emergencyKeys.contains(kid)) {
      why = "RevokePromotedOrCreated"; // a revoke is never held
    } else if (d == null) {
      why = "NotDecided";
    } else if (d.mode() != ActivationGate.Mode.Hold) {
      why = d.mode().name();
    } else if (d.outcome() == GateDecision.Outcome.Covered) {
      // Covered needs every replica read, and a verifier refreshing every I stays known for
      // max(2×C + G, 2×I): one not among the known looked gone although it was not.
      RotationPolicy p = policyAt(d.at());
      long last = v.fetchedBefore(d.at() - 1);
      why = last < 0 || d.at() - last >= VerifierCoverage.goneAfter(p).toMillis()
          ? "HoldLookedGone" : "HoldReplicaNotRead";
      if (why.equals("HoldLookedGone") && last >= 0 && v.fetchedBefore(last - 1) < 0) {
        // Fetched only once before the decision: no interval yet, judged on 2×C + G. A
        // documented limit (docs/rotation.md, "What it cannot see"), not a violation.
        why = "HoldSeenOnce";
      } else {
        violation("in Hold, a slow verifier failed on a key the gate called Covered without it ("
            + why + ", decided " + Instant.ofEpochMilli(d.at()) + "): " + what);
      }
    } else if (d.outcome() == GateDecision.Outcome.MaxHoldReached
        || d.outcome() == GateDecision.Outcome.TooLate) {
      // TooLate: the decision came after the window (the operator down or late, or a spec
      // edit, a larger D or C or the gate turned to Hold, put the window in the past)
      why = "Hold" + d.outcome();
    } else {
      // Waiting, Held or Unobserved, and no decision after: the operator was down until the
      // activation.
      boolean down = false;
      for (long[] w : downs) {
        down |= w[1] > d.at() && w[0] <= activation(kid);
      }
      why = down ? "HoldOperatorDown" : "Hold" + d.outcome() + "NoLaterDecision";
      if (!down) {
        violation("the operator was up but the gate made no decision about " + kid
            + " after " + d + ": " + what);
      }
    }
    totals.unguardedSlowFailures.merge(why, 1L, Long::sum);
    return true;
  }

  /** When a key finally activated: its activateAt in the last stored version that has it. */
  private long activation(String kid) {
    for (int i = versions.size() - 1; i >= 0; i--) {
      java.util.Optional<ManagedKey> k = versions.get(i).set().find(kid);
      if (k.isPresent()) {
        return k.get().activateAt().toEpochMilli();
      }
    }
    return Long.MAX_VALUE;
  }

  /** Whether a token minted at m by an emergency key predates the key's lead time (true values). */
  private boolean young(String kid, long m) {
    for (Version v : versions) {
      java.util.Optional<ManagedKey> k = v.set().find(kid);
      if (k.isPresent()) {
        long lead = truth.d() + truth.c() + truth.g() + truth.k();
        return m < k.get().createdAt().toEpochMilli() + lead;
      }
    }
    return false;
  }

  /** What replica r publishes at t; the last answer per replica is kept while it holds. */
  private Set<String> jwks(int replica, long t) {
    int v = loaded(replica, t);
    if (v < 0) {
      return Set.of();
    }
    Published last = published[replica];
    if (last != null && last.version() == v && t >= last.from() && t < last.until()) {
      return last.kids();
    }
    KeySet set = versions.get(v).set();
    long from = Long.MIN_VALUE;
    long until = Long.MAX_VALUE;
    for (ManagedKey k : set.keys()) {
      for (Instant i : new Instant[] {k.activateAt(), k.removeAt()}) {
        if (i != null) {
          long x = i.toEpochMilli();
          from = x <= t ? Math.max(from, x) : from;
          until = x > t ? Math.min(until, x) : until;
        }
      }
    }
    Set<String> kids = Set.copyOf(kids(set.publishedAt(Instant.ofEpochMilli(t))));
    published[replica] = new Published(v, from, until, kids);
    return kids;
  }

  /** The JWKS of one version, the same from {@code from} until before {@code until}. */
  record Published(int version, long from, long until, Set<String> kids) {}

  /** Activations, retirements and removals: where lagging replicas and caches matter most. */
  private List<Long> hotInstants() {
    Set<Long> out = new HashSet<>();
    for (Version v : versions) {
      out.add(v.at());
      for (ManagedKey k : v.set().keys()) {
        out.add(k.activateAt().toEpochMilli());
        if (k.removeAt() != null && k.maxTokenTtl() != null) {
          out.add(k.removeAt().toEpochMilli() - k.maxTokenTtl().toMillis());
        }
      }
    }
    for (long e : policyFrom) {
      out.add(e);
    }
    List<Long> sorted = new ArrayList<>(out);
    sorted.sort(null);
    return sorted;
  }

  // ---------------------------------------------------------------------------- helpers

  private void violation(String what) {
    if (totals.violations.size() < 5) {
      totals.violations.add("seed " + seed + ": " + what);
    } else if (totals.violations.size() == 5) {
      totals.violations.add("seed " + seed + ": ...more");
    }
  }

  private static boolean down(List<long[]> downs, long t) {
    for (long[] w : downs) {
      if (t >= w[0] && t < w[1]) {
        return true;
      }
    }
    return false;
  }

  private static long downEnd(List<long[]> downs, long t) {
    long end = t;
    for (long[] w : downs) {
      if (t >= w[0] && t < w[1]) {
        end = Math.max(end, w[1]);
      }
    }
    return end;
  }

  private static Set<String> kids(KeySet set) {
    return kids(set.keys());
  }

  private static Set<String> kids(List<ManagedKey> keys) {
    Set<String> out = new HashSet<>();
    for (ManagedKey k : keys) {
      out.add(k.kid());
    }
    return out;
  }

  private long ms(int max) {
    return rnd.nextInt(max + 1);
  }

  private static Duration ofMs(long ms) {
    return Duration.ofMillis(ms);
  }
}
