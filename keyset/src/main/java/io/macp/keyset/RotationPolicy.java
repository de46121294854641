package io.macp.keyset;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of the key timeline (see docs/rotation.md).
 *
 * @param period how long a key is the active signer (P)
 * @param verifierCacheTtl how long verifiers cache the JWKS (C)
 * @param verifierStaleGrace how long verifiers keep a stale JWKS when a refresh fails (G)
 * @param propagationDelay how long a key-set update takes to reach every issuer pod (D)
 * @param clockSkew clock skew plus the verifiers' {@code exp} leeway (K)
 * @param maxTokenTtl the longest token lifetime the issuer mints (T)
 */
public record RotationPolicy(
    Duration period,
    Duration verifierCacheTtl,
    Duration verifierStaleGrace,
    Duration propagationDelay,
    Duration clockSkew,
    Duration maxTokenTtl) {

  public static final RotationPolicy DEFAULTS =
      new RotationPolicy(
          Duration.ofHours(24),
          Duration.ofMinutes(5),
          Duration.ofHours(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(1),
          Duration.ofHours(1));

  /**
   * The most keys a key set may publish at once: the steady-state count {@code 2 + ceil(R / P)}
   * must not exceed it, and the planner delays an activation rather than pass it. It keeps the
   * JWKS small for verifiers (some gateways cap a JWKS at 100 keys) and the key-set document far
   * below the 1 MiB Secret limit: 10 private RSA-4096 JWKs and 10 public tombstones are < 50 KiB.
   */
  public static final int MAX_KEYS = 10;

  /** L = D + C + G + K: how long a key is public before it may sign. */
  public Duration leadTime() {
    return propagationDelay.plus(verifierCacheTtl).plus(verifierStaleGrace).plus(clockSkew);
  }

  /**
   * When every verifier whose JWKS refresh works has dropped a key revoked at {@code revokedAt}:
   * {@code revokedAt + D + C}. Issuer replicas may still publish, and sign with, the key until
   * they load the new key set (up to D); a verifier drops it at its next refresh after that.
   * Verifiers whose refresh fails keep it G longer. Source: docs/rotation.md, "Revoking the
   * active key".
   */
  public java.time.Instant revokedKeyDroppedBy(java.time.Instant revokedAt) {
    return revokedAt.plus(propagationDelay).plus(verifierCacheTtl);
  }

  /**
   * When every verifier knows a key published (written to the key set) at {@code publishedAt}:
   * {@code publishedAt + L}; before that, a verifier whose cached JWKS predates the key rejects
   * its tokens until it refreshes. Source: docs/rotation.md, "Lead time".
   */
  public java.time.Instant knownToEveryVerifierBy(java.time.Instant publishedAt) {
    return publishedAt.plus(leadTime());
  }

  /** R = T + K: how long a retired key stays public, so every token it signed still verifies. */
  public Duration retention() {
    return maxTokenTtl.plus(clockSkew);
  }

  /** Upper bound of keys in the JWKS at once: 2 + ceil(R / P). */
  public int maxPublishedKeys() {
    long p = Math.max(1, period.toMillis());
    long n = 2 + (retention().toMillis() + p - 1) / p;
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  /** Every reason this policy can't keep verifications green, each phrased so a person can fix it. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    negative("rotation period", period, problems);
    negative("verifier cache TTL", verifierCacheTtl, problems);
    negative("verifier stale grace", verifierStaleGrace, problems);
    negative("propagation delay", propagationDelay, problems);
    negative("clock skew", clockSkew, problems);
    negative("maximum token TTL", maxTokenTtl, problems);
    if (!problems.isEmpty()) {
      return problems;
    }
    if (period.isZero()) {
      problems.add("rotation period must be longer than 0s");
    }
    if (maxTokenTtl.compareTo(Duration.ofSeconds(1)) < 0) {
      problems.add("maximum token TTL must be at least 1s");
    }
    if (period.compareTo(leadTime()) < 0) {
      problems.add(
          "rotation period "
              + Durations.format(period)
              + " is shorter than the lead time "
              + Durations.format(leadTime())
              + " = propagation "
              + Durations.format(propagationDelay)
              + " + cache "
              + Durations.format(verifierCacheTtl)
              + " + stale grace "
              + Durations.format(verifierStaleGrace)
              + " + skew "
              + Durations.format(clockSkew)
              + "; lengthen the period or shorten one of these");
    }
    if (maxPublishedKeys() > MAX_KEYS) {
      long r = retention().toMillis();
      Duration minPeriod = Duration.ofMillis((r + MAX_KEYS - 3) / (MAX_KEYS - 2));
      Duration maxTtl = period.multipliedBy(MAX_KEYS - 2).minus(clockSkew);
      problems.add(
          "rotation period "
              + Durations.format(period)
              + " with a retention of "
              + Durations.format(retention())
              + " = max token TTL "
              + Durations.format(maxTokenTtl)
              + " + skew "
              + Durations.format(clockSkew)
              + " keeps up to "
              + maxPublishedKeys()
              + " keys (2 + ceil(retention / period)), more than the limit of "
              + MAX_KEYS
              + "; make the period at least "
              + Durations.format(minPeriod)
              + (maxTtl.compareTo(Duration.ofSeconds(1)) >= 0
                  ? " or the max token TTL at most " + Durations.format(maxTtl)
                  : ""));
    }
    return problems;
  }

  /** Throws with every problem when the policy is not usable. */
  public RotationPolicy validated() {
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return this;
  }

  private static void negative(String name, Duration d, List<String> problems) {
    if (d == null) {
      problems.add(name + " is missing");
    } else if (d.isNegative()) {
      problems.add(name + " must not be negative (got " + Durations.format(d) + ")");
    }
  }
}
