package io.macp.devcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.devcluster.e2e.Verification.When;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationTallyTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final String NO_KEY = "no key in the cached JWKS verifies kid ";
  private static final Revocation REVOKED_B = new Revocation("b", T0.plusSeconds(10), T0.plusSeconds(20));

  private static Verification v(String kid, int at, String failure) {
    return new Verification(1, kid, "verifier-0", T0.plusSeconds(at), When.LATER, failure);
  }

  @Test
  void failuresOfKeysNeverRevokedCount() {
    VerificationTally tally = VerificationTally.of(
        List.of(v("a", 1, null), v("a", 2, NO_KEY + "a"), v("b", 3, null)), List.of(REVOKED_B));

    assertThat(tally.verifications()).isEqualTo(3);
    assertThat(tally.failures()).isEqualTo(1);
    assertThat(tally.failureSamples()).extracting(Verification::kid).containsExactly("a");
    assertThat(tally.failureReasons()).containsEntry("no key in the cached JWKS verifies kid", 1L);
  }

  @Test
  void aRevokedKeyMustVerifyBeforeTheRevokeAndFailAfterTheDeadline() {
    VerificationTally tally = VerificationTally.of(
        List.of(
            v("b", 5, null),              // before: accepted
            v("b", 12, null),             // in between: either is fine
            v("b", 15, NO_KEY + "b"),     // in between: either is fine
            v("b", 20, NO_KEY + "b")),    // at the deadline: refused
        List.of(REVOKED_B));

    assertThat(tally.failures()).isZero();
    assertThat(tally.revokedAcceptedBefore()).isEqualTo(1);
    assertThat(tally.revokedRefusedAfter()).isEqualTo(1);
    assertThat(tally.revokeViolations()).isEmpty();
  }

  @Test
  void aRevokedKeyRefusedTooEarlyOrAcceptedTooLateIsAViolation() {
    VerificationTally tally = VerificationTally.of(
        List.of(v("b", 5, NO_KEY + "b"), v("b", 25, null)), List.of(REVOKED_B));

    assertThat(tally.revokeViolations()).hasSize(2);
    assertThat(tally.revokedAcceptedBefore()).isZero();
    assertThat(tally.revokedRefusedAfter()).isZero();
  }
}
