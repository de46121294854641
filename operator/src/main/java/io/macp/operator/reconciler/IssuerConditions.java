package io.macp.operator.reconciler;

/** Condition types and reasons of a MacpIssuer's status; one place so tests and code agree. */
public final class IssuerConditions {
  public static final String READY = "Ready";
  public static final String KEYS_READY = "KeysReady";
  public static final String AVAILABLE = "Available";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String ROTATION_BLOCKED = "RotationBlocked";
  /** False for authentication None, or when a Secret spec.mint refers to is unusable. */
  public static final String MINT_SECURED = "MintSecured";
  /** Activation gate Observe/Hold: whether every known verifier holds the next key. */
  public static final String VERIFIERS_READY = "VerifiersReady";
  /**
   * spec.verifiers set: whether the declared runtime workloads fetch the JWKS by URL and cache it
   * no longer than the timeline assumes (absent when spec.verifiers is unset).
   */
  public static final String VERIFIERS_CONFIGURED = "VerifiersConfigured";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  public static final String REASON_KEY_SET_CORRUPT = "KeySetCorrupt";
  public static final String REASON_RECONCILE_FAILED = "ReconcileFailed";
  public static final String REASON_INVALID_SPEC = "InvalidSpec";

  private IssuerConditions() {}
}
