package io.macp.cli;

import io.macp.operator.model.v1alpha1.VerifiersStatus;
import java.time.Instant;

/**
 * The activation gate's view of the next key, as {@code kubectl macp status} and
 * {@code kubectl macp timeline} show it: from {@code status.verifiers} (written only with
 * {@code rotation.activationGate} Observe or Hold), how many known verifiers hold the next key,
 * when it activates (and the planned time when held) and which clients lack it
 * (docs/rotation.md "Activation gate"). Pure.
 */
final class CoverageView {
  private CoverageView() {}

  /** The lines, each indented by two spaces; empty without {@code status.verifiers}. */
  static String render(VerifiersStatus v, Instant now) {
    if (v == null) {
      return "";
    }
    StringBuilder out = new StringBuilder("  next key coverage: ");
    if (v.getNextKid() == null || v.getKnown() == null) {
      return out.append(v.getOutcome() == null ? "unknown" : v.getOutcome())
          .append(" (replicas read ").append(nullToDash(v.getReplicasRead())).append(")\n")
          .toString();
    }
    out.append(v.getHoldingNextKey()).append('/').append(v.getKnown())
        .append(" known verifiers hold ").append(v.getNextKid());
    if (v.getActivateAt() != null) {
      out.append(", activates ").append(Times.relative(v.getActivateAt(), now));
      if (v.getPlannedActivateAt() != null
          && !v.getPlannedActivateAt().equals(v.getActivateAt())) {
        out.append(" (held; planned ").append(Times.relative(v.getPlannedActivateAt(), now))
            .append(')');
      }
    }
    out.append(" [").append(v.getOutcome()).append("; replicas read ")
        .append(nullToDash(v.getReplicasRead())).append("]\n");
    if (v.getHoldouts() != null && !v.getHoldouts().isEmpty()) {
      out.append("    lacking it: ").append(String.join(", ", v.getHoldouts())).append('\n');
    }
    return out.toString();
  }

  private static String nullToDash(String s) {
    return s == null ? "-" : s;
  }
}
