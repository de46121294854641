package io.macp.issuer.security.tls;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** TLS clients that trust only the given test certificates. */
final class TlsClients {
  private TlsClients() {}

  static SSLContext trusting(TestCertificates.Pair... trusted) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < trusted.length; i++) {
      trust.setCertificateEntry("c" + i, trusted[i].certificate());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A new client each time: a pooled connection would keep the old TLS session. */
  static HttpClient client(TestCertificates.Pair... trusted) throws Exception {
    return HttpClient.newBuilder().sslContext(trusting(trusted))
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static HttpResponse<String> get(URI uri, TestCertificates.Pair... trusted) throws Exception {
    return client(trusted).send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A socket to 127.0.0.1:{@code port} that has completed its handshake, offering only the given
   * protocols and suites (null: the JDK defaults). The caller closes it.
   */
  static SSLSocket handshake(int port, String[] protocols, String[] suites,
      TestCertificates.Pair... trusted) throws Exception {
    SSLSocket s = (SSLSocket) trusting(trusted).getSocketFactory()
        .createSocket(InetAddress.getLoopbackAddress(), port);
    try {
      s.setSoTimeout(5000);
      if (protocols != null) {
        s.setEnabledProtocols(protocols);
      }
      if (suites != null) {
        s.setEnabledCipherSuites(suites);
      }
      s.startHandshake();
      return s;
    } catch (Exception e) {
      s.close();
      throw e;
    }
  }

  /** The subject of the certificate the server presented, e.g. {@code CN=issuer-a}. */
  static String peer(HttpResponse<?> r) throws Exception {
    return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0])
        .getSubjectX500Principal().getName();
  }
}
