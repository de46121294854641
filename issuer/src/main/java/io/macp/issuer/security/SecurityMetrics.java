package io.macp.issuer.security;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.security.authn.SharedSecretTokens;
import io.macp.issuer.security.policy.DenialReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counters of the mint gate and of reloads. Prometheus names: {@code
 * macp_issuer_mint_denials_total{reason}}, {@code macp_issuer_auth_failures_total{mode}}, {@code
 * macp_issuer_config_reload_failures_total{file}}, {@code
 * macp_issuer_shared_secret_problems_total{problem}}.
 */
public final class SecurityMetrics {
  private final MeterRegistry registry;

  public SecurityMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void denied(DenialReason reason, AuthenticationMode mode) {
    Counter.builder("macp.issuer.mint.denials")
        .description("Mint requests refused by the mint policy, by reason")
        .tag("reason", reason.label())
        .register(registry)
        .increment();
    if (reason.isAuthenticationFailure()) {
      Counter.builder("macp.issuer.auth.failures")
          .description("Mint callers that failed authentication, by mode")
          .tag("mode", mode.policyName())
          .register(registry)
          .increment();
    }
  }

  /** @param file {@code mint-policy} or {@code tls} */
  public void reloadFailed(String file) {
    Counter.builder("macp.issuer.config.reload.failures")
        .description("Changed policy/secret/TLS files that were refused; the last good one stays")
        .tag("file", file)
        .register(registry)
        .increment();
  }

  /**
   * A shared-secret load that skipped a file or admits no one.
   *
   * @param problem a {@link SharedSecretTokens.Problem} kind, or {@code no_tokens}
   */
  public void sharedSecretProblem(String problem) {
    Counter.builder("macp.issuer.shared.secret.problems")
        .description("Shared-secret token files skipped at a load, and loads with no usable token")
        .tag("problem", problem)
        .register(registry)
        .increment();
  }
}
