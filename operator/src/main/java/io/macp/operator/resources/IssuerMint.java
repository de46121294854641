package io.macp.operator.resources;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MintPeerSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import java.util.List;
import java.util.Optional;

/**
 * The effective mint security of an issuer, with defaults where a manifest wrote an explicit null:
 * which objects and mounts it needs. One place, so the Deployment, the dependents' preconditions
 * and the status never disagree.
 */
public final class IssuerMint {
  private IssuerMint() {}

  public static MintSpec mint(MacpIssuer issuer) {
    MintSpec mint = IssuerSpecs.spec(issuer).getMint();
    return mint != null ? mint : new MintSpec();
  }

  /** @throws IllegalArgumentException for a mode the issuer does not know */
  public static AuthenticationMode authentication(MacpIssuer issuer) {
    String name = mint(issuer).getAuthentication();
    return AuthenticationMode.fromPolicyName(name == null ? new MintSpec().getAuthentication() : name);
  }

  /**
   * Whether the pods get a policy file. Not with None: a policy of None and no clients is what
   * the issuer does without one, and the pods then need no ConfigMap.
   */
  public static boolean policyWanted(MacpIssuer issuer) {
    return authentication(issuer) != AuthenticationMode.NONE;
  }

  public static boolean serviceAccountMode(MacpIssuer issuer) {
    return authentication(issuer) == AuthenticationMode.SERVICE_ACCOUNT;
  }

  public static boolean sharedSecretMode(MacpIssuer issuer) {
    return authentication(issuer) == AuthenticationMode.SHARED_SECRET;
  }

  public static Optional<String> sharedSecretName(MacpIssuer issuer) {
    return sharedSecretMode(issuer) ? nonBlank(mint(issuer).getSharedSecretRef()) : Optional.empty();
  }

  public static Optional<String> tlsSecretName(MacpIssuer issuer) {
    MintSpec mint = mint(issuer);
    return mint.getTls() == null ? Optional.empty() : nonBlank(mint.getTls().getSecretName());
  }

  public static boolean tlsEnabled(MacpIssuer issuer) {
    return tlsSecretName(issuer).isPresent();
  }

  public static List<MintPeerSpec> allowedFrom(MacpIssuer issuer) {
    List<MintPeerSpec> peers = mint(issuer).getAllowedFrom();
    return peers == null ? List.of() : peers;
  }

  /** A NetworkPolicy only for a non-empty allowedFrom: an empty "from" would admit everyone. */
  public static boolean networkPolicyWanted(MacpIssuer issuer) {
    return !allowedFrom(issuer).isEmpty();
  }

  private static Optional<String> nonBlank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
  }
}
