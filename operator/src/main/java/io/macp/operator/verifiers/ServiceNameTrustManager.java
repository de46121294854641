package io.macp.operator.verifiers;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Authenticates an issuer replica the operator reaches at its pod IP, before the observer token is
 * sent: the chain must be valid up to one of the trust anchors (the JDK's PKIX validator: issuers,
 * signatures, validity dates, key usage for a TLS server), and the leaf's subjectAltName must list
 * one of the issuer Service's DNS names as a {@code dNSName}, exactly (case-insensitive). The pod
 * IP is never accepted as the identity, and wildcards are not matched: a certificate for the
 * Service is what docs/security.md tells users to issue.
 *
 * <p>Being an {@link X509ExtendedTrustManager}, the JDK calls it instead of its own endpoint
 * identification (which would compare the certificate with the pod IP the client connected to).
 */
final class ServiceNameTrustManager extends X509ExtendedTrustManager {
  /** At most this many of the certificate's names are quoted in a refusal. */
  static final int MAX_NAMES_QUOTED = 5;
  private static final int DNS_NAME = 2; // GeneralName dNSName, RFC 5280 4.2.1.6

  private final X509TrustManager pkix;
  private final List<String> serverNames;
  private final String anchors;

  /**
   * @param pkix the PKIX trust manager over the trust anchors (chain validation only)
   * @param serverNames the names a certificate may carry, lower case
   * @param anchors where the trust anchors come from, for refusals (e.g. "ca.crt of Secret x")
   */
  ServiceNameTrustManager(X509TrustManager pkix, List<String> serverNames, String anchors) {
    this.pkix = pkix;
    this.serverNames = List.copyOf(serverNames);
    this.anchors = anchors;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, authType);
  }

  private void check(X509Certificate[] chain, String authType) throws RejectedCertificate {
    if (chain == null || chain.length == 0) {
      throw new RejectedCertificate("the replica sent no certificate", null);
    }
    try {
      pkix.checkServerTrusted(chain, authType); // the two-argument form: no endpoint check
    } catch (CertificateException | IllegalArgumentException e) {
      throw new RejectedCertificate("certificate not trusted by " + anchors + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
    List<String> names = dnsNames(chain[0]);
    if (names.stream().noneMatch(serverNames::contains)) {
      throw new RejectedCertificate("certificate names none of " + String.join(", ", serverNames)
          + " (its DNS names: " + (names.isEmpty() ? "none"
              : String.join(", ", names.subList(0, Math.min(names.size(), MAX_NAMES_QUOTED)))
                  + (names.size() > MAX_NAMES_QUOTED ? ", ..." : "")) + ")", null);
    }
  }

  /** The leaf's dNSName subjectAltNames, lower case (the subject's CN is not a name, RFC 6125). */
  static List<String> dnsNames(X509Certificate leaf) throws RejectedCertificate {
    Collection<List<?>> sans;
    try {
      sans = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new RejectedCertificate("certificate has an unreadable subjectAltName", e);
    }
    List<String> out = new ArrayList<>();
    if (sans != null) {
      for (List<?> san : sans) {
        if (san.size() == 2 && Integer.valueOf(DNS_NAME).equals(san.get(0))
            && san.get(1) instanceof String name) {
          out.add(name.toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a client-side trust manager only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a client-side trust manager only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a client-side trust manager only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  /** A refusal of ours; its message names no secret and is shown in status. */
  static final class RejectedCertificate extends CertificateException {
    RejectedCertificate(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
