package io.macp.cli;

import com.nimbusds.jose.jwk.JWK;
import io.macp.keyset.Durations;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetPlan;
import io.macp.keyset.KeySetPlanner;
import io.macp.keyset.ManagedKey;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.RotationRequests;
import io.macp.operator.policy.IssuerPolicy;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The project's own planner ({@link KeySetPlanner}) run on a virtual clock from an empty key set,
 * re-planned at every deadline it returns, exactly as the operator does, for a number of periods.
 * Keys are real (the planner needs them) but renamed key-1, key-2, ... so the output reads.
 *
 * @param keys every key that existed in the simulated span, in its last planned state
 * @param warnings the planner's warnings
 */
record Simulation(List<ManagedKey> keys, List<String> warnings, Instant start, Instant end) {
  /** Plans at most this many times: a sane policy needs a handful per period. */
  static final int MAX_PLANS = 10_000;

  static Simulation run(IssuerPolicy policy, Instant start, int periods, KeyGenerator generator) {
    RotationPolicy rotation = policy.rotation();
    Instant end = start.plus(rotation.period().multipliedBy(periods));
    AtomicInteger n = new AtomicInteger();
    KeySetPlanner planner = new KeySetPlanner(spec -> renamed(generator.generate(spec), "key-" + n.incrementAndGet()));
    KeySet set = KeySet.empty();
    Map<String, ManagedKey> seen = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    Instant t = start;
    for (int i = 0; i < MAX_PLANS && !t.isAfter(end); i++) {
      KeySetPlan plan = planner.plan(set, rotation, policy.keySpec(), t, RotationRequests.NONE);
      set = plan.desired();
      set.keys().forEach(k -> seen.put(k.kid(), k));
      warnings.addAll(plan.warnings());
      Instant next = plan.nextDeadline().orElse(end.plusMillis(1));
      t = next.isAfter(t) ? next : t.plusMillis(1);
    }
    return new Simulation(List.copyOf(seen.values()), warnings, start, end);
  }

  private static JWK renamed(JWK jwk, String kid) {
    Map<String, Object> json = new LinkedHashMap<>(jwk.toJSONObject());
    json.put("kid", kid);
    try {
      return JWK.parse(json);
    } catch (ParseException e) {
      throw new IllegalStateException("cannot rename a generated key", e);
    }
  }

  /** What the policy means, in the rotation model's terms (docs/rotation.md). */
  static String describe(RotationPolicy p) {
    return "period " + Durations.format(p.period())
        + ", lead time " + Durations.format(p.leadTime()) + " (= propagation " + Durations.format(p.propagationDelay())
        + " + cache " + Durations.format(p.verifierCacheTtl()) + " + stale grace " + Durations.format(p.verifierStaleGrace())
        + " + skew " + Durations.format(p.clockSkew()) + "), retention " + Durations.format(p.retention())
        + " (= max token TTL " + Durations.format(p.maxTokenTtl()) + " + skew " + Durations.format(p.clockSkew())
        + "), at most " + p.maxPublishedKeys() + " keys in the JWKS";
  }

  /** Each key's moments inside the simulated span, in time order, as offsets from the start. */
  List<String> events() {
    record Event(Instant at, String text) {}
    List<Event> events = new ArrayList<>();
    for (ManagedKey k : keys) {
      events.add(new Event(k.createdAt(), k.kid() + " published in the JWKS"));
      events.add(new Event(k.activateAt(), k.kid() + " signs new tokens"));
      if (k.retireAt() != null) {
        events.add(new Event(k.retireAt(), k.kid() + " retires (still verifies)"));
      }
      if (k.removeAt() != null) {
        events.add(new Event(k.removeAt(), k.kid() + " leaves the JWKS"));
      }
    }
    events.sort(Comparator.comparing(Event::at));
    List<String> lines = new ArrayList<>();
    for (Event e : events) {
      if (!e.at().isAfter(end)) {
        lines.add(String.format("t+%-9s %s", Durations.format(java.time.Duration.between(start, e.at())), e.text()));
      }
    }
    return lines;
  }
}
