package io.macp.issuer.security;

/** A token bucket: refills {@code requestsPerSecond}, holds at most {@code burst} requests. */
public record RateLimit(double requestsPerSecond, int burst) {
  public RateLimit {
    if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("rateLimit.requestsPerSecond must be a positive number");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("rateLimit.burst must be at least 1");
    }
  }
}
