package io.macp.issuer.security.policy;

import io.macp.issuer.SettableClock;
import io.macp.issuer.files.PolledValue;
import io.macp.issuer.http.MintDecision;
import io.macp.issuer.security.InvalidPolicyException;
import io.macp.issuer.security.SecurityMetrics;
import io.macp.issuer.security.authn.MintCaller;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** The gate's parts wired as {@link PolicyMintGate#open} wires them, minus HTTP and polling. */
public final class PolicyHarness implements AutoCloseable {
  public final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T12:00:00Z"));
  public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  public final PolledValue<MintPolicySource.Inputs, ActivePolicy> reloader;
  public final MintPolicyEngine engine;

  public PolicyHarness(Path policyFile) throws InvalidPolicyException {
    SecurityMetrics metrics = new SecurityMetrics(registry);
    TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(clock);
    reloader = new PolledValue<>("mint-policy",
        new MintPolicySource(policyFile, clock, metrics), metrics::reloadFailed,
        active -> limiter.retainOnly(active.bindings().keySet()), InvalidPolicyException::new);
    engine = new MintPolicyEngine(reloader::current, limiter, metrics);
  }

  public MintDecision decide(String authorization, String sender, Map<String, Object> scopes, long ttl) {
    return engine.decide(new MintCaller(authorization), sender, scopes, ttl);
  }

  /** The value of one Prometheus sample line, 0 when absent. */
  public double metric(String nameWithLabels) {
    for (String line : registry.scrape().split("\n")) {
      if (line.startsWith(nameWithLabels + " ")) {
        return Double.parseDouble(line.substring(nameWithLabels.length() + 1).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() {
    reloader.close();
    registry.close();
  }
}
