package io.macp.keyset;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The activation gate's rule (docs/rotation.md "Activation gate"): pure, from the planned key
 * set, the policy, the gate, the merged verifier coverage and the clock.
 *
 * <p>With C = verifierCacheTtl (at least 1s here), D = propagationDelay, a pending key planned
 * for {@code a0} and now due at {@code a} ({@code a0} is the remembered planned time raised to
 * the key's lead-time floor {@code createdAt + L}, capped at {@code a}: a raised lead time is the
 * planner's own postponement, not a hold):
 * <ul>
 *   <li>decision window: {@code [a − D − C, a − D]}. A hold is only ever written inside it: no
 *       later than {@code a − D}, so every replica (each up to D behind) has the new time before
 *       the old one comes, and no lagging replica activates at the old time;
 *   <li>in the window, in Hold mode, with known verifiers lacking the key, or with an incomplete
 *       observation (not every running replica read: {@link GateDecision.Outcome#Unobserved}):
 *       {@code a' = min(a0 + maxHold, now + D + 2C)}, always later than {@code a} (at the window's
 *       start {@code now + D + 2C = a + C}); the next window then starts {@code C} after now, so
 *       holdouts get a full cache TTL to refresh between two decisions;
 *   <li>once {@code a >= a0 + maxHold}, or past the window ({@code now > a − D}), the key activates
 *       as due, with holdouts reported (a Warning);
 *   <li>a time is never moved earlier, the signer is never touched (so an emergency revoke, which
 *       promotes the next key to now, is never held back), and keys due before the window opens
 *       are only reported.
 * </ul>
 */
public final class ActivationGatePolicy {
  private static final Duration MIN_STEP = Duration.ofSeconds(1);

  private ActivationGatePolicy() {}

  /** The result: the key set with any hold applied, and the decision to report. */
  public record Result(KeySet keySet, GateDecision decision) {}

  /** As {@link #apply(KeySet, RotationPolicy, ActivationGate, VerifierCoverage, boolean, Instant,
   * Instant)} with every replica read. */
  public static Result apply(KeySet planned, RotationPolicy policy, ActivationGate gate,
      VerifierCoverage coverage, Instant now, Instant plannedActivateAt) {
    return apply(planned, policy, gate, coverage, true, now, plannedActivateAt);
  }

  /**
   * @param planned the key set the planner wants now
   * @param complete whether every running replica's view is in {@code coverage}
   * @param plannedActivateAt the pending key's activateAt before any hold, as remembered from an
   *     earlier decision for the same kid; null when there is none (then its current activateAt)
   */
  public static Result apply(KeySet planned, RotationPolicy policy, ActivationGate gate,
      VerifierCoverage coverage, boolean complete, Instant now, Instant plannedActivateAt) {
    if (!gate.observes()) {
      return new Result(planned, GateDecision.none(GateDecision.Outcome.Off));
    }
    Optional<ManagedKey> next = planned.nextToActivateAfter(now);
    if (next.isEmpty()) {
      return new Result(planned, GateDecision.none(GateDecision.Outcome.NoPendingKey));
    }
    ManagedKey pending = next.get();
    Instant a = pending.activateAt();
    // a0: the time the planner itself wants. A remembered time counts only up to the lead-time
    // floor createdAt + L: a spec edit that raised L moved the key there (keepLeadTime), which is
    // no hold, so it neither reads as Held nor spends maxHold.
    Instant a0 = a;
    if (plannedActivateAt != null) {
      Instant floor = pending.createdAt().plus(policy.leadTime());
      Instant remembered = plannedActivateAt.isAfter(floor) ? plannedActivateAt : floor;
      a0 = remembered.isAfter(a) ? a : remembered;
    }
    Instant cap = a0.plus(gate.maxHold());
    Duration step = max(policy.verifierCacheTtl(), MIN_STEP);
    Duration d = policy.propagationDelay();

    List<ObservedVerifier> known = coverage.knownAt(now, policy);
    List<ObservedVerifier> holdouts =
        known.stream().filter(v -> !v.kids().contains(pending.kid())).toList();
    int holders = known.size() - holdouts.size();

    Instant windowStart = a.minus(d).minus(step);
    Instant windowEnd = a.minus(d);
    GateDecision.Outcome outcome;
    Instant activateAt = a;
    // Unread replicas may have served a verifier that lacks the key: never Covered then.
    GateDecision.Outcome notCovered = holdouts.isEmpty()
        ? GateDecision.Outcome.Unobserved : GateDecision.Outcome.Held;
    if (holdouts.isEmpty() && complete) {
      outcome = GateDecision.Outcome.Covered;
    } else if (now.isBefore(windowStart)) {
      // Between two decisions of a hold it is still a hold; else the verifiers still have time.
      // Only Hold holds: in Observe a key the planner postponed (a raised lead time) is Waiting.
      outcome = gate.mode() == ActivationGate.Mode.Hold && a.isAfter(a0)
          ? notCovered : GateDecision.Outcome.Waiting;
    } else if (gate.mode() == ActivationGate.Mode.Observe) {
      outcome = holdouts.isEmpty() ? GateDecision.Outcome.Unobserved
          : GateDecision.Outcome.Lagging;
    } else if (!a.isBefore(cap)) {
      outcome = GateDecision.Outcome.MaxHoldReached;
    } else if (now.isAfter(windowEnd)) {
      // too late to hold; with no holdout seen among the replicas read, say only that
      outcome = holdouts.isEmpty() ? GateDecision.Outcome.Unobserved
          : GateDecision.Outcome.TooLate;
    } else {
      outcome = notCovered;
      activateAt = min(cap, now.plus(d).plus(step.multipliedBy(2)));
    }
    KeySet result = planned;
    if (activateAt.isAfter(a)) {
      result = replace(planned, pending.withActivateAt(activateAt));
    }
    // Decide again at the start of the (new) window, while that is still ahead and a hold could
    // still happen; Observe reports at the window too, so the event comes before the activation.
    Instant check = activateAt.minus(d).minus(step);
    if (!check.isAfter(now) && gate.mode() == ActivationGate.Mode.Hold
        && (outcome == GateDecision.Outcome.Held || outcome == GateDecision.Outcome.Unobserved)) {
      // Held to the cap with less than a window left: look again at the window's end, so a key
      // that activates with holdouts is reported (MaxHoldReached) before it activates, not after.
      check = activateAt.minus(d);
    }
    // Also when activateAt is past the cap (maxHold lowered after a hold): the window's look then
    // reports MaxHoldReached before the activation instead of none at all.
    Optional<Instant> nextCheck = check.isAfter(now) ? Optional.of(check) : Optional.empty();
    return new Result(result, new GateDecision(outcome, pending.kid(), a0, activateAt,
        known.size(), holders, holdouts, nextCheck));
  }

  private static KeySet replace(KeySet set, ManagedKey key) {
    List<ManagedKey> keys = new java.util.ArrayList<>(set.keys());
    keys.replaceAll(k -> k.kid().equals(key.kid()) ? key : k);
    return new KeySet(keys);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
