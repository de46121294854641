package io.macp.operator.verifiers;

import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.util.Optional;

/**
 * Where the reconciler gets the issuer replicas' views of their JWKS clients, when the activation
 * gate is Observe or Hold. Empty: nothing could be collected (the gate then knows no verifier
 * and the view is incomplete: Observe holds nothing, Hold holds the next activation from its
 * decision window up to maxHold, Unobserved; until then status says NotCollected).
 */
@FunctionalInterface
public interface VerifierCoverageSource {
  /** Collects nothing: what runs until replicas can be reached (see docs/verifiers.md). */
  VerifierCoverageSource NONE = (issuer, tlsSecret) -> Optional.empty();

  /**
   * @param issuer the issuer whose replicas are asked (its name and namespace)
   * @param tlsSecret spec.mint.tls.secretName as read by this reconcile; present: the replicas'
   *     mint port serves HTTPS and must be authenticated with that Secret's {@code ca.crt}
   */
  Optional<ObserverClient.Collected> collect(MacpIssuer issuer, Optional<String> tlsSecret);
}
