package io.macp.operator.reconciler;

import io.macp.keyset.KeySpec;
import io.macp.keyset.ActivationGate;
import io.macp.keyset.RotationPolicy;
import java.time.Duration;

/**
 * What a valid MacpIssuer spec means to the key timeline: the rotation policy, the kind of key to
 * generate, and the token lifetimes the issuer pods enforce.
 */
public record IssuerPolicy(
    RotationPolicy rotation, KeySpec keySpec, Duration defaultTokenTtl, Duration maxTokenTtl,
    ActivationGate activationGate) {

  /** Without an activation gate (Off). */
  public IssuerPolicy(
      RotationPolicy rotation, KeySpec keySpec, Duration defaultTokenTtl, Duration maxTokenTtl) {
    this(rotation, keySpec, defaultTokenTtl, maxTokenTtl, ActivationGate.OFF);
  }
}
