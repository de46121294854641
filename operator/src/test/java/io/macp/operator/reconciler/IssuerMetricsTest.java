package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssuerMetricsTest {
  private final Instant now = Instant.parse("2026-11-23T12:00:00Z");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final IssuerMetrics metrics = new IssuerMetrics(registry, Clock.fixed(now, ZoneOffset.UTC));

  @Test
  void keyGaugesFollowTheTimelineAndGoWithTheIssuer() {
    Instant t0 = TestKeys.T0;
    var m = new IssuerMetrics(registry, Clock.fixed(t0.plusSeconds(3), ZoneOffset.UTC));
    KeySet keys = TestKeys.genesis();
    m.keys("ns", "a", keys, TestKeys.POLICY, t0.plusSeconds(3));
    ManagedKey next = keys.nextToActivateAfter(t0).orElseThrow();
    assertThat(gauge(IssuerMetrics.NEXT_ROTATION)).isEqualTo(next.activateAt().toEpochMilli() / 1000d);
    assertThat(gauge(IssuerMetrics.NEXT_KEY_PUBLISHED)).isEqualTo(1d);
    assertThat(gauge(IssuerMetrics.NEXT_KEY_LEAD))
        .isEqualTo(java.time.Duration.between(next.createdAt(), next.activateAt()).toSeconds());
    assertThat(gauge(IssuerMetrics.REQUIRED_LEAD)).isEqualTo(4d); // D1 + C1 + G1 + K1
    assertThat(gauge(IssuerMetrics.ROTATION_PERIOD)).isEqualTo(10d);
    assertThat(gauge(IssuerMetrics.JWKS_KEYS)).isEqualTo(2d);
    assertThat(gauge(IssuerMetrics.JWKS_MAX_KEYS)).isEqualTo(TestKeys.POLICY.maxPublishedKeys());
    assertThat(gauge(IssuerMetrics.ACTIVE_KEY_AGE)).isEqualTo(3d);

    // a key set whose next key is gone (e.g. restored from an old backup): no next, no lead
    KeySet onlySigner = new KeySet(List.of(keys.signerAt(t0).orElseThrow()));
    m.keys("ns", "a", onlySigner, TestKeys.POLICY, t0.plusSeconds(3));
    assertThat(gauge(IssuerMetrics.NEXT_KEY_PUBLISHED)).isEqualTo(0d);
    assertThat(gauge(IssuerMetrics.NEXT_ROTATION)).isNaN();
    assertThat(gauge(IssuerMetrics.NEXT_KEY_LEAD)).isNaN();
    assertThat(gauge(IssuerMetrics.JWKS_KEYS)).isEqualTo(1d);

    m.rotation("ns", "a", IssuerMetrics.Trigger.schedule, true);
    m.remove("ns", "a");
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void conditionGaugesReadOneZeroOrNaNAndFlagACorruptKeySet() {
    metrics.conditions("ns", "a", List.of(
        condition("Ready", "False", "KeySetCorrupt"),
        condition("KeysReady", "False", "KeySetCorrupt"),
        condition("Available", "True", "ReplicasAvailable"),
        condition("RotationBlocked", "True", "KeySetCorrupt"),
        condition("InvalidSpec", "Unknown", "x")));
    assertThat(gauge("macp_issuer_ready")).isEqualTo(0d);
    assertThat(gauge("macp_issuer_keys_ready")).isEqualTo(0d);
    assertThat(gauge("macp_issuer_available")).isEqualTo(1d);
    assertThat(gauge("macp_issuer_rotation_blocked")).isEqualTo(1d);
    assertThat(gauge("macp_issuer_spec_invalid")).isNaN();
    assertThat(gauge("macp_issuer_mint_secured")).isNaN(); // not reported
    assertThat(gauge(IssuerMetrics.KEY_SET_CORRUPT)).isEqualTo(1d);

    metrics.conditions("ns", "a", List.of(condition("Ready", "True", "Ready"),
        condition("KeysReady", "True", "KeySetReady")));
    assertThat(gauge("macp_issuer_ready")).isEqualTo(1d);
    assertThat(gauge(IssuerMetrics.KEY_SET_CORRUPT)).isEqualTo(0d);
    assertThat(gauge("macp_issuer_rotation_blocked")).isNaN();
  }

  @Test
  void countsRotationsPerIssuerByTriggerAndResult() {
    metrics.rotation("ns", "a", IssuerMetrics.Trigger.request, true);
    metrics.rotation("ns", "a", IssuerMetrics.Trigger.request, true);
    metrics.rotation("ns", "b", IssuerMetrics.Trigger.request, true);
    metrics.rotation("ns", "a", IssuerMetrics.Trigger.schedule, false);
    assertThat(registry.get(IssuerMetrics.ROTATIONS).tag("name", "a").tag("trigger", "request")
        .tag("result", "success").counter().count()).isEqualTo(2);
    assertThat(registry.get(IssuerMetrics.ROTATIONS).tag("name", "b").tag("trigger", "request")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get(IssuerMetrics.ROTATIONS).tag("namespace", "ns").tag("name", "a")
        .tag("trigger", "schedule").tag("result", "failure").counter().count()).isEqualTo(1);
    metrics.remove("ns", "a");
    assertThat(registry.find(IssuerMetrics.ROTATIONS).tag("name", "a").counters()).isEmpty();
    assertThat(registry.find(IssuerMetrics.ROTATIONS).tag("name", "b").counters()).hasSize(1);
  }

  @Test
  void prometheusShowsTheDocumentedNames() {
    var prometheus = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    var m = new IssuerMetrics(prometheus, Clock.fixed(now, ZoneOffset.UTC));
    m.keys("ns", "a", TestKeys.genesis(), TestKeys.POLICY, TestKeys.T0);
    m.conditions("ns", "a", List.of(condition("Ready", "True", "Ready")));
    m.rotation("ns", "a", IssuerMetrics.Trigger.revoke, true);
    String scrape = prometheus.scrape();
    assertThat(scrape)
        .contains("macp_issuer_next_rotation_timestamp_seconds{name=\"a\",namespace=\"ns\"}")
        .contains("macp_issuer_jwks_keys{name=\"a\",namespace=\"ns\"} 2.0")
        .contains("macp_issuer_ready{name=\"a\",namespace=\"ns\"} 1.0")
        .contains("macp_issuer_rotations_total{name=\"a\",namespace=\"ns\",result=\"success\",trigger=\"revoke\"} 1.0");
  }

  @Test
  void reschedulingIsBounded() {
    assertThat(MacpIssuerReconciler.bounded(java.time.Duration.ofMillis(10)))
        .isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(MacpIssuerReconciler.bounded(java.time.Duration.ofDays(1)))
        .isEqualTo(java.time.Duration.ofHours(1));
    assertThat(MacpIssuerReconciler.bounded(java.time.Duration.ofSeconds(42)))
        .isEqualTo(java.time.Duration.ofSeconds(42));
  }

  private static Condition condition(String type, String status, String reason) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).build();
  }

  private double gauge(String name) {
    return registry.get(name).tag("namespace", "ns").tag("name", "a").gauge().value();
  }
}
