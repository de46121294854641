package io.macp.keyset;

import java.time.Duration;
import java.util.Objects;

/**
 * The verifier-aware activation gate of a MacpIssuer ({@code spec.rotation.activationGate}, see
 * docs/rotation.md "Activation gate").
 *
 * @param mode {@link Mode#Off} (the default: the timeline alone decides), {@link Mode#Observe}
 *     (report which known verifiers lack the next key before it activates, change nothing) or
 *     {@link Mode#Hold} (also postpone the next key's activation while known verifiers lack it)
 * @param maxHold the most a Hold may postpone an activation past its planned time; after it the
 *     key activates anyway, with a Warning (default 1h, from 0 to 24h)
 */
public record ActivationGate(Mode mode, Duration maxHold) {
  public static final Duration DEFAULT_MAX_HOLD = Duration.ofHours(1);
  public static final Duration MAX_MAX_HOLD = Duration.ofHours(24);
  public static final ActivationGate OFF = new ActivationGate(Mode.Off, DEFAULT_MAX_HOLD);

  /** The gate's modes; names as in the CRD. */
  public enum Mode {
    Off,
    Observe,
    Hold
  }

  public ActivationGate {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(maxHold, "maxHold");
    if (maxHold.isNegative() || maxHold.compareTo(MAX_MAX_HOLD) > 0) {
      throw new IllegalArgumentException("activationGate.maxHold must be from 0s to 24h, got "
          + Durations.format(maxHold));
    }
  }

  /** Whether the operator should collect the verifiers' view at all. */
  public boolean observes() {
    return mode != Mode.Off;
  }
}
