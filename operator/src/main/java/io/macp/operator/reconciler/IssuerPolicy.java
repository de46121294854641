package io.macp.operator.reconciler;

import io.macp.keyset.IssuerSettings;
import io.macp.keyset.KeySpec;
import io.macp.keyset.ActivationGate;
import io.macp.keyset.RotationPolicy;
import io.macp.operator.verifiers.VerifierSelector;
import java.time.Duration;

/**
 * A valid MacpIssuer spec, parsed once per reconcile ({@link IssuerSpecValidator#validate}): what
 * the key timeline needs and what the dependents build from, so no dependent parses the spec
 * again. The reconciler hands it to them through the JOSDK context ({@link #KEY}).
 *
 * @param rotation the rotation policy (durations parsed)
 * @param keySpec the kind of key to generate
 * @param defaultTokenTtl TTL of a token when the mint request asks for none
 * @param maxTokenTtl the longest TTL a token may get
 * @param issuerClaim the {@code iss} claim (spec.issuer, else the Service URL)
 * @param mintPolicyJson the rendered and validated mint policy file, or null when the pods get none
 * @param activationGate spec.rotation.activationGate (Off when unset)
 * @param verifierSelector spec.verifiers.selector, or null when spec.verifiers is unset (declared
 *     verifiers are then not read at all; docs/verifiers.md)
 */
public record IssuerPolicy(
    RotationPolicy rotation,
    KeySpec keySpec,
    Duration defaultTokenTtl,
    Duration maxTokenTtl,
    String issuerClaim,
    String mintPolicyJson,
    ActivationGate activationGate,
    VerifierSelector verifierSelector) {

  /** Where the reconciler puts it in {@code managedWorkflowAndDependentResourceContext()}. */
  public static final String KEY = IssuerPolicy.class.getName();

  /** Without an activation gate (Off). */
  public IssuerPolicy(RotationPolicy rotation, KeySpec keySpec, Duration defaultTokenTtl,
      Duration maxTokenTtl, String issuerClaim, String mintPolicyJson) {
    this(rotation, keySpec, defaultTokenTtl, maxTokenTtl, issuerClaim, mintPolicyJson,
        ActivationGate.OFF, null);
  }

  /** Without declared verifiers (spec.verifiers unset). */
  public IssuerPolicy(RotationPolicy rotation, KeySpec keySpec, Duration defaultTokenTtl,
      Duration maxTokenTtl, String issuerClaim, String mintPolicyJson,
      ActivationGate activationGate) {
    this(rotation, keySpec, defaultTokenTtl, maxTokenTtl, issuerClaim, mintPolicyJson,
        activationGate, null);
  }

  /**
   * What the issuer pods read from the key set instead of their env, so that changing it is a
   * key-set write and never a pod-template change (no restart; see docs/rotation.md).
   */
  public IssuerSettings issuerSettings() {
    return new IssuerSettings(defaultTokenTtl, maxTokenTtl, rotation.verifierCacheTtl());
  }
}
