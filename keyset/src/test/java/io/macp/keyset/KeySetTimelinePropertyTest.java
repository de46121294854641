package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Random schedules: random policies, an operator that plans at its deadlines but is sometimes
 * late or down for several periods, rotate-now requests and (in one property) revocations. Then
 * random mints and verifications check the model's promises against the stored key-set history,
 * with issuer replicas and verifier caches lagging by every amount the policy allows.
 */
class KeySetTimelinePropertyTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  static final int SCHEDULES = 300;
  static final ECKey BASE = (ECKey) KeyGenerator.secure().generate(KeySpec.es256());

  /** One planning run: the key set stored after each plan, in time order. */
  record History(RotationPolicy policy, List<Instant> times, List<KeySet> sets, Set<String> revoked,
      Map<String, Instant> promotedAt) {
    Optional<KeySet> inForce(Instant t) {
      KeySet found = null;
      for (int i = 0; i < times.size() && !times.get(i).isAfter(t); i++) {
        found = sets.get(i);
      }
      return Optional.ofNullable(found);
    }

    Instant end() {
      return times.get(times.size() - 1);
    }

    String genesisKid() {
      return sets.get(0).keys().get(0).kid();
    }
  }

  @Test
  void theSignerIsAlwaysPublished() {
    for (int seed = 0; seed < SCHEDULES; seed++) {
      Random rnd = new Random(seed);
      History h = simulate(rnd, false);
      for (int i = 0; i < 200; i++) {
        Instant q = randomBetween(rnd, h.times().get(0), h.end());
        KeySet ks = h.inForce(q).orElseThrow();
        ManagedKey signer = ks.signerAt(q).orElseThrow(() -> new AssertionError("no signer"));
        assertThat(ks.publishedAt(q)).as("seed %d at %s", seed, q).contains(signer);
      }
    }
  }

  @Test
  void noKeySignsBeforeItHasBeenPublicForTheLeadTime() {
    for (int seed = 0; seed < SCHEDULES; seed++) {
      Random rnd = new Random(seed);
      History h = simulate(rnd, false);
      Duration d = h.policy().propagationDelay();
      for (int i = 0; i < 300; i++) {
        Instant q = randomBetween(rnd, h.times().get(0), h.end());
        // A replica sees the key set up to D late, but switches signer by its own clock.
        Instant view = q.minusMillis((long) (rnd.nextDouble() * d.toMillis()));
        Optional<KeySet> ks = h.inForce(view);
        if (ks.isEmpty()) {
          continue;
        }
        ManagedKey signer = ks.get().signerAt(q).orElseThrow();
        if (signer.kid().equals(h.genesisKid())) {
          continue; // the first key ever signs at once: there was no earlier JWKS to be cached
        }
        assertThat(q)
            .as("seed %d: %s signs at %s", seed, signer, q)
            .isAfterOrEqualTo(signer.createdAt().plus(h.policy().leadTime()));
      }
    }
  }

  @Test
  void everyTokenVerifiesUntilItExpiresWhateverTheLaggingReplicaOrCache() {
    for (int seed = 0; seed < SCHEDULES; seed++) {
      checkTokensVerify(seed, false);
    }
  }

  @Test
  void withRevocationsEveryTokenOfAKeptKeyStillVerifies() {
    for (int seed = 0; seed < SCHEDULES; seed++) {
      checkTokensVerify(seed, true);
    }
  }

  @Test
  void aKeySetNobodyUpdatesForManyPeriodsStillSignsAndPublishesItsSigner() {
    for (int seed = 0; seed < SCHEDULES; seed++) {
      Random rnd = new Random(seed);
      History h = simulate(rnd, seed % 2 == 0);
      RotationPolicy p = h.policy();
      for (int i = 0; i < 50; i++) {
        int idx = rnd.nextInt(h.sets().size());
        KeySet stale = h.sets().get(idx);
        Instant q = h.times().get(idx).plusMillis((long) (rnd.nextDouble() * 50 * p.period().toMillis()));
        ManagedKey signer = stale.signerAt(q).orElseThrow(() -> new AssertionError("signer missing"));
        assertThat(stale.publishedAt(q)).contains(signer);
        assertThat(stale.jwksJsonAt(q)).contains(signer.kid());
      }
    }
  }

  @Test
  void theJwksStaysWithinTheModelsBoundOfKeys() {
    for (int seed = 0; seed < SCHEDULES; seed++) {
      Random rnd = new Random(seed);
      History h = simulate(rnd, false, false);
      for (int i = 0; i < h.times().size(); i++) {
        // On schedule (requests can shorten periods, so they are left out here).
        assertThat(h.sets().get(i).publishedAt(h.times().get(i)).size())
            .isLessThanOrEqualTo(h.policy().maxPublishedKeys());
      }
    }
  }

  private void checkTokensVerify(int seed, boolean withRevocations) {
    Random rnd = new Random(seed);
    History h = simulate(rnd, withRevocations);
    RotationPolicy p = h.policy();
    long d = p.propagationDelay().toMillis();
    long cacheWindow = p.verifierCacheTtl().plus(p.verifierStaleGrace()).toMillis();
    Instant start = h.times().get(0);
    for (int i = 0; i < 200; i++) {
      Instant q = randomBetween(rnd, start, h.end());
      Instant replicaView = q.minusMillis((long) (rnd.nextDouble() * d));
      Optional<KeySet> ks = h.inForce(replicaView);
      if (ks.isEmpty()) {
        continue;
      }
      ManagedKey signer = ks.get().signerAt(q).orElseThrow();
      if (h.revoked().contains(signer.kid())) {
        continue; // tokens of revoked keys are meant to stop verifying
      }
      Instant promoted = h.promotedAt().get(signer.kid());
      if (promoted != null && q.isBefore(signer.createdAt().plus(p.leadTime()))) {
        continue; // an emergency promotion of a young key: documented exception
      }
      Instant expiry = q.plus(p.maxTokenTtl());
      for (int j = 0; j < 10; j++) {
        Instant verifyAt = randomBetween(rnd, q, expiry.plus(p.clockSkew()).minusMillis(1));
        // The verifier's JWKS was fetched at most C (+G if refreshes fail) ago, from a replica
        // whose key set lags by up to D.
        Instant fetchedAt = verifyAt.minusMillis((long) (rnd.nextDouble() * cacheWindow));
        Instant fetchView = fetchedAt.minusMillis((long) (rnd.nextDouble() * d));
        Optional<KeySet> seen = h.inForce(fetchView);
        if (seen.isEmpty()
            || (signer.kid().equals(h.genesisKid())
                && fetchView.isBefore(signer.createdAt().plus(p.leadTime())))) {
          continue; // fetched before the issuer existed, or the genesis key's first lead time
        }
        assertThat(seen.get().publishedAt(fetchedAt))
            .as("seed %d: token of %s minted %s, verified %s with a JWKS fetched %s (view %s)",
                seed, signer.kid(), q, verifyAt, fetchedAt, fetchView)
            .extracting(ManagedKey::kid)
            .contains(signer.kid());
      }
    }
  }

  static History simulate(Random rnd, boolean withRevocations) {
    return simulate(rnd, withRevocations, true);
  }

  static History simulate(Random rnd, boolean withRevocations, boolean withRotateRequests) {
    RotationPolicy policy = randomPolicy(rnd);
    AtomicInteger counter = new AtomicInteger();
    KeySetPlanner planner =
        new KeySetPlanner(spec -> new ECKey.Builder(BASE).keyID("k" + counter.incrementAndGet()).build());
    List<Instant> times = new ArrayList<>();
    List<KeySet> sets = new ArrayList<>();
    Set<String> revoked = new HashSet<>();
    Map<String, Instant> promotedAt = new HashMap<>();
    KeySet ks = KeySet.empty();
    Instant now = T0;
    Instant horizon = T0.plus(policy.period().multipliedBy(15));
    while (now.isBefore(horizon)) {
      RotationRequests req = RotationRequests.NONE;
      double r = rnd.nextDouble();
      if (withRotateRequests && r < 0.08) {
        req = RotationRequests.rotate();
      } else if (withRevocations && r < 0.14 && !ks.keys().isEmpty()) {
        ManagedKey victim = ks.keys().get(rnd.nextInt(ks.keys().size()));
        req = RotationRequests.revoke(victim.kid());
      }
      String signerBefore = ks.signerAt(now).map(ManagedKey::kid).orElse(null);
      KeySetPlan plan = planner.plan(ks, policy, KeySpec.es256(), now, req);
      ks = plan.desired();
      for (String kid : req.revokeKids()) {
        revoked.add(kid);
        if (kid.equals(signerBefore)) {
          ks.signerAt(now).ifPresent(s -> promotedAt.put(s.kid(), s.activateAt()));
        }
      }
      times.add(now);
      sets.add(ks);
      Instant next = plan.nextDeadline().orElse(now.plus(policy.period()));
      long jitter = (long) (rnd.nextDouble() * 500);
      if (rnd.nextDouble() < 0.1) {
        jitter += (long) (rnd.nextDouble() * 5 * policy.period().toMillis()); // operator down
      } else if (rnd.nextDouble() < 0.3) {
        next = now.plusMillis(1 + (long) (rnd.nextDouble() * policy.period().toMillis() / 3)); // extra reconcile
      }
      now = next.plusMillis(jitter);
    }
    return new History(policy, times, sets, revoked, promotedAt);
  }

  static RotationPolicy randomPolicy(Random rnd) {
    Duration c = ms(rnd, 10_000);
    Duration g = rnd.nextBoolean() ? Duration.ZERO : ms(rnd, 10_000);
    Duration d = ms(rnd, 5_000);
    Duration k = ms(rnd, 3_000);
    Duration t = Duration.ofSeconds(1).plus(ms(rnd, 40_000));
    Duration lead = d.plus(c).plus(g).plus(k);
    Duration p = lead.plus(ms(rnd, 30_000)).plusSeconds(1);
    Duration minForBound = t.plus(k).dividedBy(RotationPolicy.MAX_KEYS - 2).plusMillis(1);
    p = p.compareTo(minForBound) < 0 ? minForBound : p;
    return new RotationPolicy(p, c, g, d, k, t).validated();
  }

  static Duration ms(Random rnd, int max) {
    return Duration.ofMillis(rnd.nextInt(max + 1));
  }

  static Instant randomBetween(Random rnd, Instant a, Instant b) {
    long span = Math.max(0, b.toEpochMilli() - a.toEpochMilli());
    return a.plusMillis((long) (rnd.nextDouble() * span));
  }
}
