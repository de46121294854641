package io.macp.operator.resources;

import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.RotationSpec;
import io.macp.operator.model.v1alpha1.ServiceSpec;
import io.macp.operator.model.v1alpha1.SigningSpec;
import io.macp.operator.model.v1alpha1.TokensSpec;

/**
 * The spec of an issuer with the model's defaults filled in where a manifest wrote an explicit
 * {@code null} (Jackson keeps field initializers only for absent fields).
 */
public final class IssuerSpecs {
  private IssuerSpecs() {}

  public static MacpIssuerSpec spec(MacpIssuer issuer) {
    MacpIssuerSpec spec = issuer.getSpec();
    return spec != null ? spec : new MacpIssuerSpec();
  }

  public static int replicas(MacpIssuer issuer) {
    Integer replicas = spec(issuer).getReplicas();
    return replicas != null ? replicas : new MacpIssuerSpec().getReplicas();
  }

  public static SigningSpec signing(MacpIssuer issuer) {
    SigningSpec signing = spec(issuer).getSigning();
    SigningSpec defaults = new SigningSpec();
    if (signing == null) {
      return defaults;
    }
    SigningSpec effective = new SigningSpec();
    effective.setAlgorithm(orElse(signing.getAlgorithm(), defaults.getAlgorithm()));
    effective.setRsaKeySize(orElse(signing.getRsaKeySize(), defaults.getRsaKeySize()));
    return effective;
  }

  public static TokensSpec tokens(MacpIssuer issuer) {
    TokensSpec tokens = spec(issuer).getTokens();
    TokensSpec defaults = new TokensSpec();
    if (tokens == null) {
      return defaults;
    }
    TokensSpec effective = new TokensSpec();
    effective.setDefaultTtl(orElse(tokens.getDefaultTtl(), defaults.getDefaultTtl()));
    effective.setMaxTtl(orElse(tokens.getMaxTtl(), defaults.getMaxTtl()));
    return effective;
  }

  /** Whether spec.rotation.activationGate asks for the verifiers' view (Observe or Hold). */
  public static boolean activationGateObserves(MacpIssuer issuer) {
    var gate = rotation(issuer).getActivationGate();
    return gate != null && gate.getMode() != null && !"Off".equals(gate.getMode());
  }

  public static RotationSpec rotation(MacpIssuer issuer) {
    RotationSpec rotation = spec(issuer).getRotation();
    RotationSpec defaults = new RotationSpec();
    if (rotation == null) {
      return defaults;
    }
    RotationSpec effective = new RotationSpec();
    effective.setPeriod(orElse(rotation.getPeriod(), defaults.getPeriod()));
    effective.setVerifierCacheTtl(orElse(rotation.getVerifierCacheTtl(), defaults.getVerifierCacheTtl()));
    effective.setVerifierStaleGrace(
        orElse(rotation.getVerifierStaleGrace(), defaults.getVerifierStaleGrace()));
    effective.setPropagationDelay(orElse(rotation.getPropagationDelay(), defaults.getPropagationDelay()));
    effective.setClockSkew(orElse(rotation.getClockSkew(), defaults.getClockSkew()));
    effective.setActivationGate(rotation.getActivationGate());
    return effective;
  }

  public static String audience(MacpIssuer issuer) {
    return orElse(spec(issuer).getAudience(), new MacpIssuerSpec().getAudience());
  }

  public static String serviceType(MacpIssuer issuer) {
    ServiceSpec service = spec(issuer).getService();
    String defaultType = new ServiceSpec().getType();
    return service == null ? defaultType : orElse(service.getType(), defaultType);
  }

  public static int servicePort(MacpIssuer issuer) {
    ServiceSpec service = spec(issuer).getService();
    Integer defaultPort = new ServiceSpec().getPort();
    return service == null ? defaultPort : orElse(service.getPort(), defaultPort);
  }

  /** The Service port of the public endpoints (JWKS, discovery, health, metrics). */
  public static int servicePublicPort(MacpIssuer issuer) {
    ServiceSpec service = spec(issuer).getService();
    Integer defaultPort = new ServiceSpec().getPublicPort();
    return service == null ? defaultPort : orElse(service.getPublicPort(), defaultPort);
  }

  private static <T> T orElse(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
