package io.macp.operator.reconciler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The issuer metrics: per-issuer gauges (tagged namespace/name, removed when the issuer goes) and
 * the rotation counter by trigger and result.
 */
public class IssuerMetrics {
  public static final String NEXT_ROTATION = "macp_issuer_next_rotation_timestamp_seconds";
  public static final String ACTIVE_KEY_AGE = "macp_issuer_active_key_age_seconds";
  public static final String JWKS_KEYS = "macp_issuer_jwks_keys";
  public static final String ROTATIONS = "macp_issuer_rotations_total";

  /** What caused a rotation. */
  public enum Trigger { schedule, request, revoke }

  private record Key(String namespace, String name) {}

  /** The last values seen for one issuer; gauges read them. */
  private static final class State {
    volatile double nextRotationEpochSeconds = Double.NaN;
    volatile Instant activeSince;
    volatile int jwksKeys;
    List<Meter> meters = List.of();
  }

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<Key, State> states = new ConcurrentHashMap<>();

  public IssuerMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  public void update(
      String namespace, String name, Instant nextRotation, Instant activeSince, int jwksKeys) {
    State s = states.computeIfAbsent(new Key(namespace, name), k -> register(k));
    s.nextRotationEpochSeconds =
        nextRotation == null ? Double.NaN : nextRotation.toEpochMilli() / 1000d;
    s.activeSince = activeSince;
    s.jwksKeys = jwksKeys;
  }

  public void rotation(Trigger trigger, boolean success) {
    Counter.builder(ROTATIONS)
        .description("Key rotations by what triggered them and whether they were applied")
        .tag("trigger", trigger.name())
        .tag("result", success ? "success" : "failure")
        .register(registry)
        .increment();
  }

  public void remove(String namespace, String name) {
    State s = states.remove(new Key(namespace, name));
    if (s != null) {
      s.meters.forEach(registry::remove);
    }
  }

  private State register(Key k) {
    State s = new State();
    Tags tags = Tags.of("namespace", k.namespace(), "name", k.name());
    s.meters = List.of(
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
            .tags(tags).register(registry));
    return s;
  }
}
