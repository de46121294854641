package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class IssuerMetricsTest {
  private final Instant now = Instant.parse("2026-11-23T12:00:00Z");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final IssuerMetrics metrics = new IssuerMetrics(registry, Clock.fixed(now, ZoneOffset.UTC));

  @Test
  void gaugesFollowTheLatestValuesAndGoWithTheIssuer() {
    metrics.update("ns", "a", now.plusSeconds(60), now.minusSeconds(30), 3);
    assertThat(gauge(IssuerMetrics.NEXT_ROTATION)).isEqualTo(now.getEpochSecond() + 60d);
    assertThat(gauge(IssuerMetrics.ACTIVE_KEY_AGE)).isEqualTo(30d);
    assertThat(gauge(IssuerMetrics.JWKS_KEYS)).isEqualTo(3d);
    metrics.update("ns", "a", null, now.minusSeconds(30), 2);
    assertThat(gauge(IssuerMetrics.NEXT_ROTATION)).isNaN();
    assertThat(gauge(IssuerMetrics.JWKS_KEYS)).isEqualTo(2d);

    metrics.remove("ns", "a");
    assertThat(registry.find(IssuerMetrics.JWKS_KEYS).gauges()).isEmpty();
    assertThat(registry.find(IssuerMetrics.ACTIVE_KEY_AGE).gauges()).isEmpty();
  }

  @Test
  void countsRotationsByTriggerAndResult() {
    metrics.rotation(IssuerMetrics.Trigger.request, true);
    metrics.rotation(IssuerMetrics.Trigger.request, true);
    metrics.rotation(IssuerMetrics.Trigger.schedule, false);
    assertThat(registry.get(IssuerMetrics.ROTATIONS).tag("trigger", "request").tag("result", "success")
        .counter().count()).isEqualTo(2);
    assertThat(registry.get(IssuerMetrics.ROTATIONS).tag("trigger", "schedule").tag("result", "failure")
        .counter().count()).isEqualTo(1);
  }

  @Test
  void prometheusShowsTheDocumentedNames() {
    var prometheus = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    var m = new IssuerMetrics(prometheus, Clock.fixed(now, ZoneOffset.UTC));
    m.update("ns", "a", now.plusSeconds(60), now.minusSeconds(30), 3);
    m.rotation(IssuerMetrics.Trigger.revoke, true);
    String scrape = prometheus.scrape();
    assertThat(scrape)
        .contains("macp_issuer_next_rotation_timestamp_seconds{name=\"a\",namespace=\"ns\"}")
        .contains("macp_issuer_active_key_age_seconds{name=\"a\",namespace=\"ns\"} 30.0")
        .contains("macp_issuer_jwks_keys{name=\"a\",namespace=\"ns\"} 3.0")
        .contains("macp_issuer_rotations_total{result=\"success\",trigger=\"revoke\"} 1.0");
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

  private double gauge(String name) {
    return registry.get(name).tag("namespace", "ns").tag("name", "a").gauge().value();
  }
}
