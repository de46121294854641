package io.macp.operator.resources;

import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.RotationSpec;
import io.macp.operator.model.v1alpha1.SigningSpec;
import io.macp.operator.model.v1alpha1.TokensSpec;

/**
 * Short ways to the parts of an issuer's spec. The defaults are the model's own: field initializers,
 * kept for an absent field, an explicit {@code null} ({@code @JsonSetter(nulls = SKIP)}, null-safe
 * setters) and an absent or null {@code spec} ({@link MacpIssuer#setSpec}); nothing here merges.
 */
public final class IssuerSpecs {
  private IssuerSpecs() {}

  public static MacpIssuerSpec spec(MacpIssuer issuer) {
    return issuer.getSpec();
  }

  public static int replicas(MacpIssuer issuer) {
    return spec(issuer).getReplicas();
  }

  public static SigningSpec signing(MacpIssuer issuer) {
    return spec(issuer).getSigning();
  }

  public static TokensSpec tokens(MacpIssuer issuer) {
    return spec(issuer).getTokens();
  }

  /** Whether spec.rotation.activationGate asks for the verifiers' view (Observe or Hold). */
  public static boolean activationGateObserves(MacpIssuer issuer) {
    var gate = rotation(issuer).getActivationGate();
    return gate != null && gate.getMode() != null && !"Off".equals(gate.getMode());
  }

  public static RotationSpec rotation(MacpIssuer issuer) {
    return spec(issuer).getRotation();
  }

  public static String audience(MacpIssuer issuer) {
    return spec(issuer).getAudience();
  }

  public static String serviceType(MacpIssuer issuer) {
    return spec(issuer).getService().getType();
  }

  public static int servicePort(MacpIssuer issuer) {
    return spec(issuer).getService().getPort();
  }

  /** The Service port of the public endpoints (JWKS, discovery, health, metrics). */
  public static int servicePublicPort(MacpIssuer issuer) {
    return spec(issuer).getService().getPublicPort();
  }
}
