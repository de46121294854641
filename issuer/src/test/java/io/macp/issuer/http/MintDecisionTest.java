package io.macp.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MintDecisionTest {
  @Test
  void denialsOnlyUseTheThreeStatusesWithFixedBodies() {
    assertThat(MintDecision.unauthenticated("r").error()).isEqualTo("unauthenticated");
    assertThat(MintDecision.unauthenticated("r").caller()).isEqualTo("anonymous");
    assertThat(MintDecision.forbidden("c", "r").error()).isEqualTo("forbidden");
    assertThat(MintDecision.rateLimited("c", "r", 3).error()).isEqualTo("rate limited");
    assertThatThrownBy(() -> new MintDecision.Deny(500, "c", "r", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MintDecision.Deny(200, "c", "r", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retryAfterIsAtLeastOneSecondAndOnlyFor429() {
    assertThat(MintDecision.rateLimited("c", "r", 0).retryAfterSeconds()).isEqualTo(1);
    assertThat(new MintDecision.Deny(429, "c", "r", null).retryAfterSeconds()).isEqualTo(1);
    assertThat(new MintDecision.Deny(403, "c", "r", 9L).retryAfterSeconds()).isNull();
  }

  @Test
  void ttlCeilingMustBePositive() {
    assertThat(MintDecision.allow("c", 1).maxTtlSeconds()).isEqualTo(1);
    assertThat(MintDecision.allow("c").maxTtlSeconds()).isNull();
    assertThatThrownBy(() -> MintDecision.allow("c", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
