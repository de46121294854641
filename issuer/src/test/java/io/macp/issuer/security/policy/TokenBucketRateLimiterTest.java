package io.macp.issuer.security.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.issuer.SettableClock;
import io.macp.issuer.security.authn.CallerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenBucketRateLimiterTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(clock);
  private final CallerId a = CallerId.sharedSecret("a");
  private final CallerId b = CallerId.sharedSecret("b");

  @Test
  void burstThenRefillAtTheRate() {
    RateLimit limit = new RateLimit(1, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire(a, limit)).isEmpty();
    }
    assertThat(limiter.tryAcquire(a, limit)).hasValue(1);
    clock.advance(Duration.ofMillis(999));
    assertThat(limiter.tryAcquire(a, limit)).hasValue(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.tryAcquire(a, limit)).isEmpty();
    assertThat(limiter.tryAcquire(a, limit)).isPresent();
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUp() {
    RateLimit slow = new RateLimit(0.25, 1); // one request per 4 seconds
    assertThat(limiter.tryAcquire(a, slow)).isEmpty();
    assertThat(limiter.tryAcquire(a, slow)).hasValue(4);
    clock.advance(Duration.ofMillis(2500));
    assertThat(limiter.tryAcquire(a, slow)).hasValue(2);
  }

  @Test
  void callersHaveTheirOwnBuckets() {
    RateLimit one = new RateLimit(1, 1);
    assertThat(limiter.tryAcquire(a, one)).isEmpty();
    assertThat(limiter.tryAcquire(a, one)).isPresent();
    assertThat(limiter.tryAcquire(b, one)).isEmpty();
  }

  @Test
  void refillNeverExceedsTheBurst() {
    RateLimit limit = new RateLimit(10, 2);
    clock.advance(Duration.ofHours(1));
    assertThat(limiter.tryAcquire(a, limit)).isEmpty();
    assertThat(limiter.tryAcquire(a, limit)).isEmpty();
    assertThat(limiter.tryAcquire(a, limit)).isPresent();
  }

  @Test
  void aChangedLimitOrAForgottenCallerStartsFull() {
    assertThat(limiter.tryAcquire(a, new RateLimit(1, 1))).isEmpty();
    assertThat(limiter.tryAcquire(a, new RateLimit(1, 1))).isPresent();
    assertThat(limiter.tryAcquire(a, new RateLimit(1, 2))).isEmpty();
    assertThat(limiter.tryAcquire(b, new RateLimit(1, 1))).isEmpty();
    limiter.retainOnly(Set.of(a));
    assertThat(limiter.tryAcquire(b, new RateLimit(1, 1))).isEmpty();
  }
}
