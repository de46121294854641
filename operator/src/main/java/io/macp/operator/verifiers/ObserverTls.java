package io.macp.operator.verifiers;

import io.macp.operator.verifiers.ObserverClient.ObserverException;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How the operator authenticates an issuer replica whose mint port speaks HTTPS
 * ({@code spec.mint.tls}) before it sends the observer token: the replica's chain must lead to
 * one of {@code trustAnchors} (the {@code ca.crt} of the issuer's TLS Secret, which cert-manager
 * writes; without one, the JVM's default trust store) and its certificate must name one of
 * {@code serverNames} (the Service's DNS names, never the pod IP the operator connects to). See
 * {@link ServiceNameTrustManager} and docs/verifiers.md.
 *
 * @param serverNames DNS names the certificate may carry (lower case, at least one; the first is
 *     sent as SNI)
 * @param trustAnchors the CA certificates to trust; empty: the JVM's default trust store
 * @param anchorSource where the anchors come from, for messages (no secret in it)
 */
public record ObserverTls(List<String> serverNames, List<X509Certificate> trustAnchors,
    String anchorSource) {
  /** The data key cert-manager (and kubernetes.io/tls Secrets by convention) keep the CA in. */
  public static final String CA_KEY = "ca.crt";
  /** A CA bundle larger than this is refused (a public bundle is about 200 KiB). */
  static final int MAX_CA_BYTES = 1024 * 1024;

  public ObserverTls {
    serverNames = serverNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    trustAnchors = List.copyOf(trustAnchors);
    if (serverNames.isEmpty()) {
      throw new IllegalArgumentException("at least one server name is required");
    }
  }

  /**
   * @param caPem the PEM certificates of {@code ca.crt}, or empty for the JVM's default trust
   *     store
   * @param secretName the TLS Secret's name, for messages
   * @throws ObserverException when {@code ca.crt} is present but holds no usable certificate
   */
  public static ObserverTls of(List<String> serverNames, Optional<byte[]> caPem,
      String secretName) throws ObserverException {
    if (caPem.isEmpty() || caPem.get().length == 0) {
      return new ObserverTls(serverNames, List.of(),
          "the JVM's default trust store (Secret " + secretName + " has no " + CA_KEY + ")");
    }
    String source = CA_KEY + " of Secret " + secretName;
    if (caPem.get().length > MAX_CA_BYTES) {
      throw new ObserverException(source + " is larger than " + MAX_CA_BYTES + " bytes");
    }
    List<X509Certificate> anchors = new ArrayList<>();
    try {
      for (Certificate c : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(caPem.get()))) {
        anchors.add((X509Certificate) c);
      }
    } catch (CertificateException | ClassCastException e) {
      throw new ObserverException(source + " is not a PEM certificate bundle");
    }
    if (anchors.isEmpty()) {
      throw new ObserverException(source + " holds no certificate");
    }
    return new ObserverTls(serverNames, anchors, source);
  }

  /** A client-side TLS context whose only trust decision is {@link ServiceNameTrustManager}'s. */
  SSLContext sslContext() {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (trustAnchors.isEmpty()) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < trustAnchors.size(); i++) {
          store.setCertificateEntry("ca-" + i, trustAnchors.get(i));
        }
        tmf.init(store);
      }
      X509TrustManager pkix = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          pkix = x;
        }
      }
      if (pkix == null) {
        throw new IllegalStateException("the JDK has no X.509 trust manager");
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {
          new ServiceNameTrustManager(pkix, serverNames, anchorSource)}, null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("no TLS client context: " + e.getClass().getSimpleName(), e);
    }
  }

  /** TLS 1.3 and 1.2 only (what the issuer serves); the Service name as SNI. */
  SSLParameters sslParameters() {
    SSLParameters p = new SSLParameters();
    p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    p.setServerNames(List.of(new SNIHostName(serverNames.get(0))));
    return p;
  }
}
