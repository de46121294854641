package io.macp.keyset;

import java.time.Instant;
import java.util.Objects;

/**
 * What the planner needs to apply the activation gate ({@link ActivationGatePolicy}).
 *
 * @param gate the spec's gate
 * @param coverage the verifiers' view, merged over the replicas ({@link VerifierCoverage#NONE}
 *     when it could not be collected)
 * @param complete whether every running replica's view was read: when not, a verifier may have
 *     fetched only from a replica that was not read, so in Hold the gate does not call the key
 *     covered ({@link GateDecision.Outcome#Unobserved}); false when nothing was collected
 * @param plannedKid the kid a hold was last decided for, or null
 * @param plannedActivateAt that kid's activateAt before any hold, or null
 */
public record GateInput(
    ActivationGate gate, VerifierCoverage coverage, boolean complete, String plannedKid,
    Instant plannedActivateAt) {
  public static final GateInput OFF = new GateInput(ActivationGate.OFF, VerifierCoverage.NONE,
      true, null, null);

  public GateInput {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(coverage, "coverage");
  }

  /** The planned time remembered for {@code kid}, or null when it was remembered for another. */
  Instant plannedActivateAtOf(String kid) {
    return kid != null && kid.equals(plannedKid) ? plannedActivateAt : null;
  }
}
