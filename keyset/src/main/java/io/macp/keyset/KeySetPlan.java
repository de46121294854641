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
 * @param gate what the activation gate decided (outcome Off when it is off)
 */
public record KeySetPlan(
    KeySet desired, boolean changed, Optional<Instant> nextDeadline, List<String> warnings,
    GateDecision gate) {

  public KeySetPlan {
    warnings = List.copyOf(warnings);
  }

  public KeySetPlan(
      KeySet desired, boolean changed, Optional<Instant> nextDeadline, List<String> warnings) {
    this(desired, changed, nextDeadline, warnings, GateDecision.none(GateDecision.Outcome.Off));
  }
}
