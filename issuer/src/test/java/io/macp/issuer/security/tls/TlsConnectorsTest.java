package io.macp.issuer.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.macp.issuer.security.PolicyFiles;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Javalin 7 / Jetty 12 serving HTTPS from renewed PEM files, without a restart. */
class TlsConnectorsTest {
  @TempDir Path tmp;

  @Test
  void javalinServesTheRenewedCertificate() throws Exception {
    TestCertificates.Pair a = TestCertificates.generate(tmp, "jetty-a", "EC");
    TestCertificates.Pair b = TestCertificates.generate(tmp, "jetty-b", "RSA");
    PolicyFiles mount = new PolicyFiles(Files.createDirectories(tmp.resolve("tls")));
    mount.publish(Map.of("tls.crt", a.certPem(), "tls.key", a.sec1Pem()));
    AtomicReference<ServerConnector> connector = new AtomicReference<>();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ReloadingTlsContext tls = ReloadingTlsContext.open(mount.dir().resolve("tls.crt"),
            mount.dir().resolve("tls.key"), Duration.ofHours(1), registry)) {
      Javalin app = Javalin.create(cfg -> {
        cfg.startup.showJavalinBanner = false;
        cfg.jetty.addConnector((server, http) -> {
          connector.set(TlsConnectors.https(server, http, tls, "127.0.0.1", 0));
          return connector.get();
        });
        cfg.routes.get("/healthz", ctx -> ctx.result("{\"ok\":true}"));
      }).start();
      try {
        URI uri = URI.create("https://127.0.0.1:" + connector.get().getLocalPort() + "/healthz");
        HttpResponse<String> first = TlsClients.get(uri, a, b);
        assertThat(first.body()).isEqualTo("{\"ok\":true}");
        assertThat(first.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(TlsClients.peer(first)).isEqualTo("CN=jetty-a");

        mount.publish(Map.of("tls.crt", b.certPem(), "tls.key", b.pkcs1Pem()));
        assertThat(tls.reloadNow()).isTrue();
        assertThat(TlsClients.peer(TlsClients.get(uri, a, b))).isEqualTo("CN=jetty-b");
        // a client that only trusts the old certificate is now refused: the switch is real
        assertThatThrownBy(() -> TlsClients.get(uri, a)).isInstanceOf(IOException.class);
        // no plain HTTP listener was added next to the HTTPS one
        assertThat(app.jettyServer().server().getConnectors()).hasSize(1);
      } finally {
        app.stop();
      }
    }
  }
}
