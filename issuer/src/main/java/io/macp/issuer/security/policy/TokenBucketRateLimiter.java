package io.macp.issuer.security.policy;

import io.macp.issuer.security.authn.CallerId;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One token bucket per caller. A bucket starts full; a changed limit starts a fresh bucket. */
public final class TokenBucketRateLimiter {
  private final Clock clock;
  private final Map<CallerId, Bucket> buckets = new ConcurrentHashMap<>();

  public TokenBucketRateLimiter(Clock clock) {
    this.clock = clock;
  }

  /** Takes one token: empty when allowed, else the whole seconds to wait (at least 1). */
  public OptionalLong tryAcquire(CallerId caller, RateLimit limit) {
    Bucket bucket = buckets.compute(caller, (k, b) ->
        b == null || !b.limit.equals(limit) ? new Bucket(limit, clock.millis()) : b);
    return bucket.take(clock.millis());
  }

  /** Forgets callers no longer in the policy. */
  public void retainOnly(Set<CallerId> callers) {
    buckets.keySet().retainAll(callers);
  }

  private static final class Bucket {
    private final RateLimit limit;
    private double tokens;
    private long lastMillis;

    Bucket(RateLimit limit, long now) {
      this.limit = limit;
      this.tokens = limit.burst();
      this.lastMillis = now;
    }

    synchronized OptionalLong take(long now) {
      if (now > lastMillis) {
        tokens = Math.min(limit.burst(),
            tokens + (now - lastMillis) / 1000.0 * limit.requestsPerSecond());
        lastMillis = now;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return OptionalLong.empty();
      }
      long wait = (long) Math.ceil((1 - tokens) / limit.requestsPerSecond());
      return OptionalLong.of(Math.max(1, wait));
    }
  }
}
