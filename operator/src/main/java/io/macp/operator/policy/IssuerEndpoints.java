package io.macp.operator.policy;

import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * In-cluster URLs of an issuer's Service: the default {@code iss} and the URLs shown in status.
 * One place, so the pods' {@code MACP_AUTH_ISSUER} and the status never disagree. Built from the
 * issuer's name and namespace and its {@link IssuerPolicy}, never from the spec.
 */
public final class IssuerEndpoints {
  public static final String JWKS_PATH = "/.well-known/jwks.json";
  public static final String MINT_PATH = "/tokens";

  private IssuerEndpoints() {}

  /** The issuer's Service: named as the issuer (the builders name it through this). */
  public static String serviceName(MacpIssuer issuer) {
    return issuer.getMetadata().getName();
  }

  /**
   * {@code http://<service>.<namespace>.svc:<port>}, https with mint.tls.
   *
   * @throws IllegalArgumentException when the issuer has no namespace
   */
  public static String serviceUrl(MacpIssuer issuer, boolean tls, int port) {
    String scheme = tls ? "https://" : "http://";
    return scheme + serviceName(issuer) + "." + namespace(issuer) + ".svc:" + port;
  }

  /** {@code http://<service>.<namespace>.svc:<port>}, https with mint.tls. */
  public static String serviceBaseUrl(MacpIssuer issuer, IssuerPolicy policy) {
    return serviceUrl(issuer, policy.mint().tlsEnabled(), policy.service().port());
  }

  /**
   * {@code http://<service>.<namespace>.svc:<publicPort>}, https with mint.tls: the public
   * endpoints (JWKS, discovery, health, metrics), which the NetworkPolicy never restricts.
   */
  public static String publicBaseUrl(MacpIssuer issuer, IssuerPolicy policy) {
    return serviceUrl(issuer, policy.mint().tlsEnabled(), policy.service().publicPort());
  }

  /**
   * MACP_AUTH_PUBLIC_URL for the pods, so discovery's {@code jwks_uri} names the public port; empty
   * when spec.issuer is a URL of somewhere else (an ingress, say), which then says where the JWKS
   * is, as before. An issuer URL on this Service's own in-cluster host still gets the public port.
   */
  public static Optional<String> discoveryPublicUrl(MacpIssuer issuer, IssuerPolicy policy) {
    String claim = policy.issuerClaim();
    URI uri;
    try {
      uri = new URI(claim);
    } catch (URISyntaxException e) {
      return Optional.of(publicBaseUrl(issuer, policy));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
      return Optional.of(publicBaseUrl(issuer, policy)); // a bare name: discovery has no URL to follow
    }
    if (!serviceHosts(issuer).contains(uri.getHost().toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    return Optional.of(scheme + "://" + uri.getHost() + ":" + policy.service().publicPort());
  }

  /**
   * The Service's DNS names the operator accepts in a replica's certificate when it reads
   * {@code GET /verifiers} over HTTPS: {@code <service>.<namespace>.svc} (what docs/security.md
   * tells users to put in it) and {@code <service>.<namespace>.svc.cluster.local}. Not the short
   * forms: {@code <service>.<namespace>} can be a public DNS name.
   */
  public static List<String> certificateNames(MacpIssuer issuer) {
    String svc = serviceName(issuer) + "." + namespace(issuer) + ".svc";
    return List.of(svc, svc + ".cluster.local");
  }

  /** The names the Service has inside the cluster. */
  private static Set<String> serviceHosts(MacpIssuer issuer) {
    String service = serviceName(issuer);
    String namespace = namespace(issuer);
    return Set.of(service, service + "." + namespace, service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }

  private static String namespace(MacpIssuer issuer) {
    String namespace = issuer.getMetadata().getNamespace();
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException(
          "MacpIssuer " + issuer.getMetadata().getName() + " has no namespace");
    }
    return namespace;
  }

  /** On the public port: reachable by every verifier, whatever the NetworkPolicy admits. */
  public static String jwksUrl(MacpIssuer issuer, IssuerPolicy.ServiceSettings service, boolean tls) {
    return serviceUrl(issuer, tls, service.publicPort()) + JWKS_PATH;
  }

  public static String mintUrl(MacpIssuer issuer, IssuerPolicy.ServiceSettings service, boolean tls) {
    return serviceUrl(issuer, tls, service.port()) + MINT_PATH;
  }

  public static String jwksUrl(MacpIssuer issuer, IssuerPolicy policy) {
    return jwksUrl(issuer, policy.service(), policy.mint().tlsEnabled());
  }

  public static String mintUrl(MacpIssuer issuer, IssuerPolicy policy) {
    return mintUrl(issuer, policy.service(), policy.mint().tlsEnabled());
  }

  // For tools and tests holding a valid issuer and no policy: each validates the spec.

  /** @throws IllegalArgumentException listing the problems of an invalid spec */
  public static String issuerClaim(MacpIssuer issuer) {
    return IssuerSpecValidator.policyOf(issuer).issuerClaim();
  }

  /** @throws IllegalArgumentException listing the problems of an invalid spec */
  public static String jwksUrl(MacpIssuer issuer) {
    return jwksUrl(issuer, IssuerSpecValidator.policyOf(issuer));
  }

  /** @throws IllegalArgumentException listing the problems of an invalid spec */
  public static String mintUrl(MacpIssuer issuer) {
    return mintUrl(issuer, IssuerSpecValidator.policyOf(issuer));
  }

  /** @throws IllegalArgumentException listing the problems of an invalid spec */
  public static Optional<String> discoveryPublicUrl(MacpIssuer issuer) {
    return discoveryPublicUrl(issuer, IssuerSpecValidator.policyOf(issuer));
  }
}
