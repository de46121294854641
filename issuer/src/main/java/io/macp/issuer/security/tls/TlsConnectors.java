package io.macp.issuer.security.tls;

import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The Jetty 12 HTTPS connector for a {@link ReloadingTlsContext}. With Javalin 7:
 * {@code cfg.jetty.addConnector((server, http) -> TlsConnectors.https(server, http, tls, host,
 * port))} (Javalin then adds no plain HTTP connector). Renewal needs no Jetty reload: the context's
 * key manager switches certificates itself.
 */
public final class TlsConnectors {
  private TlsConnectors() {}

  public static ServerConnector https(
      Server server, HttpConfiguration base, ReloadingTlsContext tls, String host, int port) {
    return https(server, null, base, tls, host, port);
  }

  /** @param executor the connector's own request threads, or null for the server's */
  public static ServerConnector https(Server server, Executor executor, HttpConfiguration base,
      ReloadingTlsContext tls, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(tls.sslContext());
    ssl.setIncludeProtocols(tls.protocols());
    ssl.setIncludeCipherSuites(tls.cipherSuites());
    ssl.setUseCipherSuitesOrder(true);
    HttpConfiguration https = new HttpConfiguration(base);
    // No SNI host check: Jetty's check needs its own key manager, and callers reach the issuer by
    // Service DNS names or pod IPs that the certificate's SANs are written for anyway.
    https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
    ServerConnector connector = new ServerConnector(server, executor, null, null, -1, -1,
        new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
        new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
