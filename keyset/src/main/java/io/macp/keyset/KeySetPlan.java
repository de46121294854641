package io.macp.keyset;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The planner's answer.
 *
 * @param desired the key set that should be stored now
 * @param changed whether it differs from the stored one (write only then)
 * @param nextDeadline when the plan must be made again, from stored timestamps alone
 * @param warnings things a person should know, e.g. an unknown kid asked to be revoked
 */
public record KeySetPlan(
    KeySet desired, boolean changed, Optional<Instant> nextDeadline, List<String> warnings) {

  public KeySetPlan {
    warnings = List.copyOf(warnings);
  }
}
