package io.macp.devcluster;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The kubelet's HTTPS probe client: like the kubelet, it does not verify the issuer's
 * certificate (nor its host name). Only for {@code /readyz} of replicas on 127.0.0.1; never for
 * anything that carries a token.
 */
final class ProbeClients {
  private static volatile HttpClient https;

  private ProbeClients() {}

  static HttpClient https() {
    HttpClient client = https;
    if (client == null) {
      synchronized (ProbeClients.class) {
        if (https == null) {
          https = HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(1))
              .sslContext(unverified())
              .build();
        }
        client = https;
      }
    }
    return client;
  }

  private static SSLContext unverified() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AcceptAll()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS for probes: " + e.getMessage(), e);
    }
  }

  /** The extended variant, so the JDK does not add its own host name check on top. */
  private static final class AcceptAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
