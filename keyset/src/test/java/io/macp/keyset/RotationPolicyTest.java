package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RotationPolicyTest {
  @Test
  void defaultsDeriveLeadTimeAndRetentionFromTheModel() {
    RotationPolicy p = RotationPolicy.DEFAULTS;
    assertThat(p.leadTime()).isEqualTo(Duration.ofMinutes(68)); // 2m + 5m + 1h + 1m
    assertThat(p.retention()).isEqualTo(Duration.ofMinutes(61)); // 1h + 1m
    assertThat(p.maxPublishedKeys()).isEqualTo(3);
    assertThat(p.problems()).isEmpty();
  }

  @Test
  void aPeriodShorterThanTheLeadTimeIsRefusedWithEveryTerm() {
    RotationPolicy p = withPeriod(Duration.ofMinutes(10));
    assertThat(p.problems())
        .containsExactly(
            "rotation period 10m is shorter than the lead time 1h8m = propagation 2m + cache 5m"
                + " + stale grace 1h + skew 1m; lengthen the period or shorten one of these");
    assertThatThrownBy(p::validated).hasMessageContaining("shorter than the lead time 1h8m");
  }

  @Test
  void aPeriodEqualToTheLeadTimeIsEnough() {
    assertThat(withPeriod(Duration.ofMinutes(68)).problems()).isEmpty();
  }

  @Test
  void negativeAndZeroValuesAreRefused() {
    RotationPolicy negative =
        new RotationPolicy(
            Duration.ofHours(1), Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ofMinutes(1));
    assertThat(negative.problems()).containsExactly("verifier cache TTL must not be negative (got -1s)");
    RotationPolicy zero =
        new RotationPolicy(
            Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    assertThat(zero.problems())
        .contains("rotation period must be longer than 0s", "maximum token TTL must be at least 1s");
  }

  @Test
  void keyCountBoundGrowsWithRetentionOverPeriod() {
    RotationPolicy fast =
        new RotationPolicy(
            Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(2),
            Duration.ofSeconds(1), Duration.ofSeconds(20));
    assertThat(fast.leadTime()).isEqualTo(Duration.ofSeconds(8));
    assertThat(fast.retention()).isEqualTo(Duration.ofSeconds(21));
    assertThat(fast.maxPublishedKeys()).isEqualTo(3);
  }

  private static RotationPolicy withPeriod(Duration period) {
    RotationPolicy d = RotationPolicy.DEFAULTS;
    return new RotationPolicy(
        period, d.verifierCacheTtl(), d.verifierStaleGrace(), d.propagationDelay(), d.clockSkew(),
        d.maxTokenTtl());
  }
}
