package io.macp.operator.resources;

import io.macp.operator.model.MacpIssuer;

/**
 * In-cluster URLs of an issuer's Service: the default {@code iss} and the URLs shown in status.
 * One place, so the pods' {@code MACP_AUTH_ISSUER} and the status never disagree.
 */
public final class IssuerEndpoints {
  public static final String JWKS_PATH = "/.well-known/jwks.json";
  public static final String MINT_PATH = "/tokens";

  private IssuerEndpoints() {}

  /** {@code http://<service>.<namespace>.svc:<port>}, https with mint.tls. */
  public static String serviceBaseUrl(MacpIssuer issuer) {
    String namespace = issuer.getMetadata().getNamespace();
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException(
          "MacpIssuer " + issuer.getMetadata().getName() + " has no namespace");
    }
    String scheme = IssuerMint.tlsEnabled(issuer) ? "https://" : "http://";
    return scheme + IssuerNames.service(issuer) + "." + namespace + ".svc:"
        + IssuerSpecs.servicePort(issuer);
  }

  /** The {@code iss} the pods sign with: spec.issuer, else the Service's in-cluster URL. */
  public static String issuerClaim(MacpIssuer issuer) {
    String issuerClaim = IssuerSpecs.spec(issuer).getIssuer();
    return issuerClaim != null && !issuerClaim.isBlank() ? issuerClaim : serviceBaseUrl(issuer);
  }

  public static String jwksUrl(MacpIssuer issuer) {
    return serviceBaseUrl(issuer) + JWKS_PATH;
  }

  public static String mintUrl(MacpIssuer issuer) {
    return serviceBaseUrl(issuer) + MINT_PATH;
  }
}
