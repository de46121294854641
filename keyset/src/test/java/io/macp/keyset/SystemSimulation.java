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
 *   <li><b>Verifiers</b> cache the JWKS of a random replica for up to their {@code C}, keep a
 *       stale copy up to {@code G} more when refreshes fail, never refetch on an unknown kid, and
 *       accept {@code exp} with a leeway of up to {@code K}.
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
 */
final class SystemSimulation {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  static final int REPLICAS = 3;
  static final int VERIFIERS = 4;

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
  private final long[][] lag;
  private int kidCounter;
  private long horizon;

  private SystemSimulation(long seed) {
    this.seed = seed;
    this.rnd = new Random(seed);
    this.truth = new Truth(ms(3_000), ms(8_000), rnd.nextBoolean() ? 0 : ms(8_000), ms(2_000));
    this.lag = new long[REPLICAS][];
  }

  /** Runs one history and returns its totals (violations carry the seed). */
  static Totals run(long seed) {
    SystemSimulation s = new SystemSimulation(seed);
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

    List<UserEvent> events = new ArrayList<>();
    int n = 3 + rnd.nextInt(8);
    for (int i = 0; i < n; i++) {
      double r = rnd.nextDouble();
      Kind kind = r < 0.5 ? Kind.EDIT : r < 0.65 ? Kind.ROTATE : r < 0.78 ? Kind.REVOKE_ACTIVE
          : r < 0.89 ? Kind.REVOKE_PENDING : Kind.REVOKE_RETIRED;
      events.add(new UserEvent(t0 + 1 + (long) (rnd.nextDouble() * (horizon - t0)), kind));
    }
    events.sort(Comparator.comparingLong(UserEvent::at));
    List<long[]> downs = new ArrayList<>();
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
    boolean first = true;
    while (now < horizon) {
      // Handle the user events up to now: edits apply to the spec, requests wait as annotations.
      while (nextEvent < events.size() && events.get(nextEvent).at() <= now) {
        UserEvent e = events.get(nextEvent++);
        switch (e.kind()) {
          case EDIT -> {
            if (rnd.nextDouble() < 0.2) {
              KeySpec newSpec = randomSpec();
              spec = newSpec;
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
      KeySetPlan plan;
      try {
        plan = planner.plan(
            stored, policy, spec, Instant.ofEpochMilli(now),
            new RotationRequests(rotate, revokes));
      } catch (PlanRefusedException e) {
        // The operator reports the refusal and writes nothing; the requests stay pending.
        violation("plan refused at " + Instant.ofEpochMilli(now) + ": " + e.getMessage());
        return;
      }
      totals.plans++;
      rotate = false;
      revokes.clear();
      if (plan.changed()) {
        KeySet written = roundTrip(plan.desired(), now);
        checkStep(stored, written, now, policy, applied);
        stored = written;
        versions.add(new Version(now, written));
        totals.versions++;
      }
      deadline = plan.nextDeadline().orElse(null);
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
          if (k.activateAt().isBefore(k.createdAt().plus(policy.leadTime()))) {
            emergencyKeys.add(k.kid());
          }
        } else if (!o.activateAt().isAfter(safe)) {
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
    int best = -1;
    for (int v = 0; v < versions.size(); v++) {
      if (versions.get(v).at() + lag[r][v] <= t) {
        best = v;
      }
    }
    return best;
  }

  private void clients() {
    for (int r = 0; r < REPLICAS; r++) {
      lag[r] = new long[versions.size()];
      for (int v = 0; v < versions.size(); v++) {
        double x = rnd.nextDouble();
        // The first version is in place before the pods start (they mount the Secret).
        lag[r][v] = v == 0 ? 0 : x < 0.35 ? truth.d() : x < 0.5 ? 0 : (long) (rnd.nextDouble() * truth.d());
      }
    }
    long t0 = T0.toEpochMilli();
    long[] cacheTtl = new long[VERIFIERS];
    long[] grace = new long[VERIFIERS];
    long[] leeway = new long[VERIFIERS];
    for (int i = 0; i < VERIFIERS; i++) {
      boolean worst = i < VERIFIERS / 2;
      cacheTtl[i] = worst ? truth.c() : (long) (rnd.nextDouble() * truth.c());
      grace[i] = worst ? truth.g() : (long) (rnd.nextDouble() * truth.g());
      leeway[i] = worst ? truth.k() : (long) (rnd.nextDouble() * truth.k());
    }
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
        int verifier = rnd.nextInt(VERIFIERS);
        long end = exp + leeway[verifier]; // exclusive
        double x = rnd.nextDouble();
        long at = x < 0.3 ? end - 1 : x < 0.45 ? m : m + (long) (rnd.nextDouble() * (end - m));
        checks.add(new Check(at, verifier, signer.kid(), m, exp));
      }
    }
    checks.sort(Comparator.comparingLong(Check::at));
    long[] fetchedAt = new long[VERIFIERS];
    @SuppressWarnings("unchecked")
    Set<String>[] cache = new Set[VERIFIERS];
    for (int i = 0; i < VERIFIERS; i++) {
      fetchedAt[i] = t0;
      cache[i] = jwks(rnd.nextInt(REPLICAS), t0);
    }
    for (Check c : checks) {
      int i = c.verifier();
      long age = c.at() - fetchedAt[i];
      if (age >= cacheTtl[i]) {
        boolean fails = age < cacheTtl[i] + grace[i] && rnd.nextDouble() < 0.3;
        if (!fails) {
          fetchedAt[i] = c.at();
          cache[i] = jwks(rnd.nextInt(REPLICAS), c.at());
        }
      }
      boolean ok = cache[i].contains(c.kid());
      totals.verifications++;
      Long revoked = revokedAt.get(c.kid());
      String what = "token of " + c.kid() + " minted " + Instant.ofEpochMilli(c.minted()) + " exp "
          + Instant.ofEpochMilli(c.exp()) + " verified " + Instant.ofEpochMilli(c.at())
          + " by verifier " + i + " (JWKS fetched " + Instant.ofEpochMilli(fetchedAt[i]) + ")";
      if (revoked != null && c.at() >= revoked) {
        if (ok) {
          totals.revokedAcceptedAfterRevoke++;
          if (c.at() >= revokeDeadline.get(c.kid())) {
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
      } else if (!ok) {
        totals.failures++;
        violation("failed verification: " + what);
      }
    }
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

  private Set<String> jwks(int replica, long t) {
    int v = loaded(replica, t);
    if (v < 0) {
      return Set.of();
    }
    return kids(versions.get(v).set().publishedAt(Instant.ofEpochMilli(t)));
  }

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
