package io.macp.keyset;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the activation gate decided for the next key, for status, conditions and events.
 *
 * @param outcome see {@link Outcome}
 * @param kid the next key, or null with {@link Outcome#NoPendingKey} and {@link Outcome#Off}
 * @param plannedActivateAt when it was planned to activate before any hold (the cap counts from
 *     it); null without a next key
 * @param activateAt when it activates now (later than planned only after a hold)
 * @param known verifiers still known (docs/rotation.md: fetched within
 *     {@code max(2×C + G, min(2 × own interval, 24h))})
 * @param holders how many of them hold the next key
 * @param holdouts the known verifiers lacking it, oldest fetch first
 * @param nextCheck when the gate must decide again (the start of the next decision window), if
 *     ever
 */
public record GateDecision(
    Outcome outcome,
    String kid,
    Instant plannedActivateAt,
    Instant activateAt,
    int known,
    int holders,
    List<ObservedVerifier> holdouts,
    Optional<Instant> nextCheck) {

  public GateDecision {
    holdouts = List.copyOf(holdouts);
  }

  /** The gate's outcomes. */
  public enum Outcome {
    /** The gate is off: nothing was looked at. */
    Off,
    /** No key is pending. */
    NoPendingKey,
    /** Every known verifier holds the next key. */
    Covered,
    /**
     * The decision window has not started: verifiers still have time to fetch the next key, so
     * none is reported as lagging yet.
     */
    Waiting,
    /** In the decision window, known verifiers lack the next key (Observe: reported only). */
    Lagging,
    /** Hold: the activation was postponed to {@link #activateAt}. */
    Held,
    /**
     * Not every running replica's view could be read (or none), and the replicas read show no
     * holdout: a verifier may have fetched only from an unread replica. In the decision window,
     * Hold postpones as for {@link #Held}; Observe only reports it.
     */
    Unobserved,
    /** Hold: the activation is already postponed by maxHold; it goes ahead (Warning). */
    MaxHoldReached,
    /** Hold: too close to the activation to postpone it safely; it goes ahead (Warning). */
    TooLate
  }

  /**
   * Whether the outcome warrants a Warning: verifiers lack (or may lack, when not every replica
   * was read) a key that signs anyway.
   */
  public boolean activatesWithHoldouts() {
    return outcome == Outcome.MaxHoldReached || outcome == Outcome.TooLate;
  }

  static GateDecision none(Outcome outcome) {
    return new GateDecision(outcome, null, null, null, 0, 0, List.of(), Optional.empty());
  }
}
