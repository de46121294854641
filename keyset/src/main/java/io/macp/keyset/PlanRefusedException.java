package io.macp.keyset;

/**
 * The planner refused to plan a key set its own reader would refuse (or one too large to store).
 * Callers report it as a failure and write nothing; it is a bug or an unsupported state, never a
 * rotation.
 */
public final class PlanRefusedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public PlanRefusedException(String message) {
    super(message);
  }
}
