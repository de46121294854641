package io.macp.issuer;

import io.macp.issuer.http.AuditAppender;
import io.macp.issuer.http.MintOutcome;
import io.macp.issuer.signing.CurrentKeySet;
import io.macp.issuer.signing.KeyView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every meter of one issuer instance, on that instance's own registry (several issuers may run in
 * one JVM). The key-set reload counters ({@code macp_issuer_keyset_reloads_total},
 * {@code macp_issuer_keyset_reload_failures_total}) are registered by the key source on the same
 * registry, not here.
 */
public final class IssuerMetrics {
  private final PrometheusMeterRegistry registry;
  private final Map<MintOutcome, Counter> mints = new EnumMap<>(MintOutcome.class);
  // per outcome, registered on first use: each is a histogram of some 70 buckets
  private final Map<MintOutcome, Timer> mintLatency = new java.util.concurrent.ConcurrentHashMap<>();
  private final Counter jwksOk;
  private final Counter jwksNotModified;

  /** @param registry this instance's own registry (the key source registers on it too) */
  public IssuerMetrics(PrometheusMeterRegistry registry, CurrentKeySet keys, Clock clock) {
    this.registry = registry;
    for (MintOutcome outcome : MintOutcome.values()) {
      mints.put(
          outcome,
          Counter.builder("macp.issuer.mints")
              .description("POST /tokens requests by outcome")
              .tag("outcome", outcome.label())
              .register(registry));
    }
    FunctionCounter.builder(
            "macp.issuer.audit.dropped", AuditAppender.class, c -> AuditAppender.dropped())
        .description("Audit lines dropped because the audit queue was full (never blocks a mint)")
        .register(registry);
    jwksOk = jwksCounter("200");
    jwksNotModified = jwksCounter("304");
    Gauge.builder("macp.issuer.active.key.age", () -> activeKeyAge(keys, clock))
        .description("Seconds since the current signer's activateAt (NaN when none signs)")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("macp.issuer.next.key.activation", () -> untilNextActivation(keys, clock))
        .description("Seconds until the next key activates (NaN when none is scheduled)")
        .baseUnit("seconds")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void mint(MintOutcome outcome, long startNanos) {
    mints.get(outcome).increment();
    mintLatency.computeIfAbsent(outcome, this::latencyTimer)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  public void jwksServed(boolean notModified) {
    (notModified ? jwksNotModified : jwksOk).increment();
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  public void close() {
    registry.close();
  }

  private Timer latencyTimer(MintOutcome outcome) {
    return Timer.builder("macp.issuer.mint.duration")
        .description("Time to answer POST /tokens, by outcome")
        .tag("outcome", outcome.label())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(5))
        .register(registry);
  }

  private Counter jwksCounter(String status) {
    return Counter.builder("macp.issuer.jwks.requests")
        .description("GET /.well-known/jwks.json requests by answer status")
        .tag("status", status)
        .register(registry);
  }

  private static double activeKeyAge(CurrentKeySet keys, Clock clock) {
    Instant now = clock.instant();
    KeyView view = keys.viewAt(now);
    return view.signerNow()
        .map(s -> seconds(s.key().activateAt(), now))
        .orElse(Double.NaN);
  }

  private static double untilNextActivation(CurrentKeySet keys, Clock clock) {
    Instant now = clock.instant();
    return keys.viewAt(now).nextActivationAfter(now).map(t -> seconds(now, t)).orElse(Double.NaN);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
