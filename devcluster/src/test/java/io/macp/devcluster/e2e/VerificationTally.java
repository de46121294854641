package io.macp.devcluster.e2e;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Judges a run's verification log. A token whose key was never revoked must verify every time.
 * A token whose key was revoked must verify every time before the revoke was requested and fail
 * every time from the revocation's deadline on; in between, either verdict is allowed.
 *
 * @param failures failed verifications of tokens whose key was not revoked
 * @param failureReasons every failed verification (revoked keys included) by reason, kids elided
 * @param revokedAcceptedBefore verifications of a revoked key's tokens before its revoke, accepted
 * @param revokedRefusedAfter verifications of a revoked key's tokens past its deadline, refused
 * @param revokeViolations a revoked key's token refused before the revoke or accepted past the
 *     deadline
 */
record VerificationTally(
    long verifications,
    long failures,
    List<Verification> failureSamples,
    Map<String, Long> failureReasons,
    long revokedAcceptedBefore,
    long revokedRefusedAfter,
    List<Verification> revokeViolations) {
  private static final int SAMPLES = 10;

  static VerificationTally of(Collection<Verification> log, List<Revocation> revocations) {
    long failures = 0;
    long acceptedBefore = 0;
    long refusedAfter = 0;
    List<Verification> samples = new ArrayList<>();
    List<Verification> violations = new ArrayList<>();
    Map<String, Long> reasons = new TreeMap<>();
    for (Verification v : log) {
      if (!v.accepted()) {
        reasons.merge(reason(v.failure()), 1L, Long::sum);
      }
      Optional<Revocation> revoked =
          revocations.stream().filter(r -> r.kid().equals(v.kid())).findFirst();
      if (revoked.isEmpty()) {
        if (!v.accepted()) {
          failures++;
          if (samples.size() < SAMPLES) {
            samples.add(v);
          }
        }
        continue;
      }
      Revocation r = revoked.get();
      if (v.at().isBefore(r.requestedAt())) {
        if (v.accepted()) {
          acceptedBefore++;
        } else {
          violations.add(v);
        }
      } else if (!v.at().isBefore(r.refusedFrom())) {
        if (v.accepted()) {
          violations.add(v);
        } else {
          refusedAfter++;
        }
      }
    }
    return new VerificationTally(log.size(), failures, List.copyOf(samples), Map.copyOf(reasons),
        acceptedBefore, refusedAfter, List.copyOf(violations));
  }

  /** "no key in the cached JWKS verifies kid abc" -> "no key in the cached JWKS verifies kid". */
  static String reason(String failure) {
    int kid = failure.indexOf(" kid ");
    return kid < 0 ? failure : failure.substring(0, kid + 4);
  }
}
