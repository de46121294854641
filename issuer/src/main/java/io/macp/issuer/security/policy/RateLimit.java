package io.macp.issuer.security.policy;

import io.macp.issuer.api.MintPolicyRules;

/** A token bucket: refills {@code requestsPerSecond}, holds at most {@code burst} requests. */
public record RateLimit(double requestsPerSecond, int burst) {
  public RateLimit {
    MintPolicyRules.checkRateLimit(requestsPerSecond, burst);
  }
}
