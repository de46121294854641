package io.macp.keyset;

import java.time.Instant;
import java.util.Objects;

/**
 * What the planner needs to apply the activation gate ({@link ActivationGatePolicy}).
 *
 * @param gate the spec's gate
 * @param coverage the verifiers' view, merged over the replicas ({@link VerifierCoverage#NONE}
 *     when it could not be collected: then nothing is held)
 * @param plannedKid the kid a hold was last decided for, or null
 * @param plannedActivateAt that kid's activateAt before any hold, or null
 */
public record GateInput(
    ActivationGate gate, VerifierCoverage coverage, String plannedKid, Instant plannedActivateAt) {
  public static final GateInput OFF = new GateInput(ActivationGate.OFF, VerifierCoverage.NONE,
      null, null);

  public GateInput {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(coverage, "coverage");
  }

  /** The planned time remembered for {@code kid}, or null when it was remembered for another. */
  Instant plannedActivateAtOf(String kid) {
    return kid != null && kid.equals(plannedKid) ? plannedActivateAt : null;
  }
}
