package io.macp.issuer.http;

import java.util.Objects;

/**
 * What a {@link MintGate} answers. A denial carries its HTTP status; the answer body is generic
 * ({@code unauthenticated}, {@code forbidden}, {@code rate limited}) and the reason goes only to
 * the audit line and metrics, so callers learn nothing about the policy.
 */
public sealed interface MintDecision {
  String ANONYMOUS = "anonymous";

  /** The caller id for the audit line ({@code anonymous} when nobody was authenticated). */
  String caller();

  /**
   * Mint allowed.
   *
   * @param caller who asked, e.g. {@code sa:ns/name} or {@code secret:name}
   * @param maxTtlSeconds a TTL ceiling below the server's maximum to clamp to, or null for none
   */
  record Allow(String caller, Long maxTtlSeconds) implements MintDecision {
    public Allow {
      Objects.requireNonNull(caller, "caller");
      if (maxTtlSeconds != null && maxTtlSeconds < 1) {
        throw new IllegalArgumentException("maxTtlSeconds must be at least 1");
      }
    }
  }

  /**
   * Mint refused.
   *
   * @param status 401, 403 or 429
   * @param caller who asked, or {@code anonymous} when authentication failed
   * @param reason for the audit line and the denial metric only; never sent to the caller
   * @param retryAfterSeconds for 429: the Retry-After header value; null otherwise
   */
  record Deny(int status, String caller, String reason, Long retryAfterSeconds)
      implements MintDecision {
    public Deny {
      if (status != 401 && status != 403 && status != 429) {
        throw new IllegalArgumentException("a mint denial is 401, 403 or 429, not " + status);
      }
      Objects.requireNonNull(caller, "caller");
      Objects.requireNonNull(reason, "reason");
      if (status == 429) {
        retryAfterSeconds = Math.max(1, retryAfterSeconds == null ? 1 : retryAfterSeconds);
      } else {
        retryAfterSeconds = null;
      }
    }

    /** The fixed answer body for this status. */
    public String error() {
      return switch (status) {
        case 401 -> "unauthenticated";
        case 403 -> "forbidden";
        default -> "rate limited";
      };
    }
  }

  static Allow allow(String caller) {
    return new Allow(caller, null);
  }

  static Allow allow(String caller, long maxTtlSeconds) {
    return new Allow(caller, maxTtlSeconds);
  }

  static Deny unauthenticated(String reason) {
    return new Deny(401, ANONYMOUS, reason, null);
  }

  static Deny forbidden(String caller, String reason) {
    return new Deny(403, caller, reason, null);
  }

  static Deny rateLimited(String caller, String reason, long retryAfterSeconds) {
    return new Deny(429, caller, reason, retryAfterSeconds);
  }
}
