package io.macp.devcluster.e2e;

import java.time.Instant;

/**
 * One verifier's verdict on one token at one moment.
 *
 * @param at when the verification started
 * @param failure null when the token verified, else the verifier's reason
 */
record Verification(long tokenId, String kid, String verifier, Instant at, When when, String failure) {
  /** Why the verification happened. */
  enum When {
    /** right after the mint */
    IMMEDIATE,
    /** at a random moment before the token's exp */
    LATER,
    /** an explicit check around a revoke */
    PROBE
  }

  boolean accepted() {
    return failure == null;
  }
}
