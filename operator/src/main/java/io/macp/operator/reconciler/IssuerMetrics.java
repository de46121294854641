package io.macp.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import io.macp.keyset.RotationPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The issuer metrics. Every meter about one issuer is tagged {@code namespace} and {@code name}
 * (the MacpIssuer's) and removed when the issuer is deleted. Condition gauges read 1 for True, 0
 * for False and NaN for Unknown or not reported, so "== 0" alerts never fire on an unknown state.
 * The alert rules and the dashboard in deploy/monitoring/ use these names; a test checks them.
 */
public class IssuerMetrics {
  public static final String NEXT_ROTATION = "macp_issuer_next_rotation_timestamp_seconds";
  public static final String ACTIVE_KEY_AGE = "macp_issuer_active_key_age_seconds";
  public static final String JWKS_KEYS = "macp_issuer_jwks_keys";
  public static final String JWKS_MAX_KEYS = "macp_issuer_jwks_max_keys";
  public static final String JWKS_KEY_LIMIT = "macp_issuer_jwks_key_limit";
  public static final String NEXT_KEY_PUBLISHED = "macp_issuer_next_key_published";
  public static final String NEXT_KEY_LEAD = "macp_issuer_next_key_lead_seconds";
  public static final String REQUIRED_LEAD = "macp_issuer_required_lead_seconds";
  public static final String ROTATION_PERIOD = "macp_issuer_rotation_period_seconds";
  public static final String ROTATIONS = "macp_issuer_rotations_total";
  public static final String KEY_SET_CORRUPT = "macp_issuer_key_set_corrupt";

  /** Condition type to gauge name: the conditions an alert or a dashboard acts on. */
  public static final Map<String, String> CONDITION_GAUGES = conditionGauges();

  /** What caused a rotation. */
  public enum Trigger { schedule, request, revoke }

  private record Key(String namespace, String name) {}

  /** The last values seen for one issuer; gauges read them. */
  private static final class State {
    volatile double nextRotationEpochSeconds = Double.NaN;
    volatile Instant activeSince;
    volatile int jwksKeys;
    volatile double jwksMaxKeys = Double.NaN;
    volatile double nextKeyPublished = Double.NaN;
    volatile double nextKeyLeadSeconds = Double.NaN;
    volatile double requiredLeadSeconds = Double.NaN;
    volatile double rotationPeriodSeconds = Double.NaN;
    volatile double keySetCorrupt = Double.NaN;
    final Map<String, Double> conditions = new ConcurrentHashMap<>();
    final List<Meter> meters = new CopyOnWriteArrayList<>();
  }

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<Key, State> states = new ConcurrentHashMap<>();

  public IssuerMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * The key timeline as of {@code now}: signer age, next activation and its lead time (how long
   * the next key is public before it signs; rotation-model.md: L = D + C + G + K is required), and
   * the JWKS size against the model's bound {@code 2 + ceil(R / P)}.
   */
  public void keys(String namespace, String name, KeySet keys, RotationPolicy policy, Instant now) {
    State s = state(namespace, name);
    Optional<ManagedKey> next = keys.nextToActivateAfter(now);
    s.nextRotationEpochSeconds = next.map(k -> k.activateAt().toEpochMilli() / 1000d).orElse(Double.NaN);
    s.nextKeyPublished = next.isPresent() ? 1 : 0;
    s.nextKeyLeadSeconds = next.map(k -> seconds(Duration.between(k.createdAt(), k.activateAt())))
        .orElse(Double.NaN);
    s.activeSince = keys.signerAt(now).map(ManagedKey::activateAt).orElse(null);
    s.jwksKeys = keys.publishedAt(now).size();
    if (policy != null) {
      s.jwksMaxKeys = policy.maxPublishedKeys();
      s.requiredLeadSeconds = seconds(policy.leadTime());
      s.rotationPeriodSeconds = seconds(policy.period());
    }
  }

  /** The status conditions just written (or about to be): one gauge per type that matters. */
  public void conditions(String namespace, String name, List<Condition> conditions) {
    State s = state(namespace, name);
    Map<String, Double> values = new LinkedHashMap<>();
    CONDITION_GAUGES.keySet().forEach(type -> values.put(type, Double.NaN));
    double corrupt = 0;
    for (Condition c : conditions == null ? List.<Condition>of() : conditions) {
      if (values.containsKey(c.getType())) {
        values.put(c.getType(), IssuerConditions.TRUE.equals(c.getStatus()) ? 1d
            : IssuerConditions.FALSE.equals(c.getStatus()) ? 0d : Double.NaN);
      }
      if (IssuerConditions.KEYS_READY.equals(c.getType())
          && IssuerConditions.REASON_KEY_SET_CORRUPT.equals(c.getReason())) {
        corrupt = 1;
      }
    }
    s.conditions.putAll(values);
    s.keySetCorrupt = corrupt;
  }

  public void rotation(String namespace, String name, Trigger trigger, boolean success) {
    State s = state(namespace, name);
    Counter c = Counter.builder(ROTATIONS)
        .description("Key rotations by what triggered them and whether they were applied")
        .tags(Tags.of("namespace", namespace, "name", name))
        .tag("trigger", trigger.name())
        .tag("result", success ? "success" : "failure")
        .register(registry);
    if (!s.meters.contains(c)) {
      s.meters.add(c);
    }
    c.increment();
  }

  public void remove(String namespace, String name) {
    State s = states.remove(new Key(namespace, name));
    if (s != null) {
      s.meters.forEach(registry::remove);
    }
  }

  private State state(String namespace, String name) {
    return states.computeIfAbsent(new Key(namespace, name), this::register);
  }

  private State register(Key k) {
    State s = new State();
    Tags tags = Tags.of("namespace", k.namespace(), "name", k.name());
    s.meters.addAll(List.of(
        Gauge.builder(NEXT_ROTATION, s, st -> st.nextRotationEpochSeconds)
            .description("When the pre-published next key starts signing (Unix seconds)")
            .tags(tags).register(registry),
        Gauge.builder(ACTIVE_KEY_AGE, s, st -> st.activeSince == null
                ? Double.NaN
                : (clock.millis() - st.activeSince.toEpochMilli()) / 1000d)
            .description("Seconds since the active signing key activated")
            .tags(tags).register(registry),
        Gauge.builder(JWKS_KEYS, s, st -> st.jwksKeys)
            .description("Keys in the published JWKS")
            .tags(tags).register(registry),
        Gauge.builder(JWKS_MAX_KEYS, s, st -> st.jwksMaxKeys)
            .description("The rotation model's bound on JWKS keys: 2 + ceil(retention / period)")
            .tags(tags).register(registry),
        Gauge.builder(JWKS_KEY_LIMIT, () -> RotationPolicy.MAX_KEYS)
            .description("The hard limit of keys in a key set (RotationPolicy.MAX_KEYS); the planner"
                + " delays activations rather than pass it")
            .tags(tags).register(registry),
        Gauge.builder(NEXT_KEY_PUBLISHED, s, st -> st.nextKeyPublished)
            .description("1 when a next key is published ahead of its activation, else 0")
            .tags(tags).register(registry),
        Gauge.builder(NEXT_KEY_LEAD, s, st -> st.nextKeyLeadSeconds)
            .description("Seconds the next key is public before it signs (activateAt - createdAt)")
            .tags(tags).register(registry),
        Gauge.builder(REQUIRED_LEAD, s, st -> st.requiredLeadSeconds)
            .description("Lead time the spec requires: propagation + verifier cache + stale grace"
                + " + clock skew")
            .tags(tags).register(registry),
        Gauge.builder(ROTATION_PERIOD, s, st -> st.rotationPeriodSeconds)
            .description("spec.rotation.period in seconds")
            .tags(tags).register(registry),
        Gauge.builder(KEY_SET_CORRUPT, s, st -> st.keySetCorrupt)
            .description("1 while the key Secret holds no usable key set (KeysReady reason"
                + " KeySetCorrupt), else 0")
            .tags(tags).register(registry)));
    CONDITION_GAUGES.forEach((type, metric) -> s.meters.add(
        Gauge.builder(metric, s, st -> st.conditions.getOrDefault(type, Double.NaN))
            .description("Condition " + type + ": 1 True, 0 False, NaN Unknown")
            .tags(tags).register(registry)));
    return s;
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000d;
  }

  private static Map<String, String> conditionGauges() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(IssuerConditions.READY, "macp_issuer_ready");
    m.put(IssuerConditions.KEYS_READY, "macp_issuer_keys_ready");
    m.put(IssuerConditions.AVAILABLE, "macp_issuer_available");
    m.put(IssuerConditions.ROTATION_BLOCKED, "macp_issuer_rotation_blocked");
    m.put(IssuerConditions.MINT_SECURED, "macp_issuer_mint_secured");
    m.put(IssuerConditions.INVALID_SPEC, "macp_issuer_spec_invalid");
    return java.util.Collections.unmodifiableMap(m);
  }
}
