package io.macp.issuer.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macp.issuer.security.InvalidPolicyException;
import io.macp.issuer.security.PolicyFiles;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real TLS server socket on 127.0.0.1 serving from reloaded PEM files. */
class ReloadingTlsContextTest {
  @TempDir static Path certs;
  static TestCertificates.Pair rsaA;
  static TestCertificates.Pair rsaB;
  static TestCertificates.Pair ec;

  @TempDir Path tmp;
  PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  ReloadingTlsContext tls;
  SSLServerSocket server;
  Thread acceptor;

  @BeforeAll
  static void makeCertificates() throws Exception {
    rsaA = TestCertificates.generate(certs, "issuer-a", "RSA");
    rsaB = TestCertificates.generate(certs, "issuer-b", "RSA");
    ec = TestCertificates.generate(certs, "issuer-ec", "EC");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
      acceptor.join(5000);
    }
    if (tls != null) {
      tls.close();
    }
  }

  private PolicyFiles mount(String cert, String key) throws Exception {
    PolicyFiles m = new PolicyFiles(Files.createDirectories(tmp.resolve("tls")));
    m.publish(Map.of("tls.crt", cert, "tls.key", key));
    return m;
  }

  private void serve(PolicyFiles m) throws Exception {
    tls = ReloadingTlsContext.open(m.dir().resolve("tls.crt"), m.dir().resolve("tls.key"),
        Duration.ofHours(1), registry);
    server = (SSLServerSocket) tls.sslContext().getServerSocketFactory()
        .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
    server.setSSLParameters(tls.sslParameters());
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try (SSLSocket s = (SSLSocket) server.accept()) {
          s.startHandshake();
          s.getOutputStream().write(42);
          s.getOutputStream().flush();
        } catch (IOException ignored) {
          // a refused handshake or the server closing: keep serving / stop
        }
      }
    });
    acceptor.start();
  }

  /** Connects trusting all test certificates; returns the protocol and the server certificate. */
  private String[] connect(String[] protocols, String[] suites) throws Exception {
    try (SSLSocket s = TlsClients.handshake(server.getLocalPort(), protocols, suites,
        rsaA, rsaB, ec)) {
      assertThat(s.getInputStream().read()).isEqualTo(42);
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      return new String[] {s.getSession().getProtocol(), peer.getSubjectX500Principal().getName(),
          s.getSession().getCipherSuite()};
    }
  }

  @Test
  void renewedCertificateIsServedWithoutRestart() throws Exception {
    PolicyFiles m = mount(rsaA.certPem(), rsaA.pkcs8Pem());
    serve(m);
    String[] first = connect(null, null);
    assertThat(first[0]).isEqualTo("TLSv1.3");
    assertThat(first[1]).isEqualTo("CN=issuer-a");

    m.publish(Map.of("tls.crt", rsaB.certPem(), "tls.key", rsaB.pkcs1Pem()));
    assertThat(tls.reloadNow()).isTrue();
    assertThat(connect(null, null)[1]).isEqualTo("CN=issuer-b");
    assertThat(tls.currentCertificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=issuer-b");
  }

  @Test
  void aMismatchedOrBrokenRenewalKeepsTheOldCertificate() throws Exception {
    PolicyFiles m = mount(rsaA.certPem(), rsaA.pkcs8Pem());
    serve(m);
    m.publish(Map.of("tls.crt", rsaB.certPem(), "tls.key", rsaA.pkcs8Pem()));
    assertThat(tls.reloadNow()).isFalse();
    m.publish(Map.of("tls.crt", "garbage", "tls.key", rsaB.pkcs8Pem()));
    assertThat(tls.reloadNow()).isFalse();
    assertThat(connect(null, null)[1]).isEqualTo("CN=issuer-a");
    assertThat(registry.scrape()).contains(
        "macp_issuer_config_reload_failures_total{file=\"tls\"} 2.0");
  }

  @Test
  void ecKeysInPkcs8AndSec1Work() throws Exception {
    PolicyFiles m = mount(ec.certPem(), ec.sec1Pem());
    serve(m);
    assertThat(connect(null, null)[1]).isEqualTo("CN=issuer-ec");
    m.publish(Map.of("tls.crt", ec.certPem() + rsaA.certPem(), "tls.key", ec.pkcs8Pem()));
    assertThat(tls.reloadNow()).isFalse(); // rsaA did not issue the EC certificate
    m.publish(Map.of("tls.crt", ec.certPem(), "tls.key", ec.pkcs8Pem()));
    assertThat(tls.reloadNow()).isTrue();
    String[] tls12 = connect(new String[] {"TLSv1.2"}, null);
    assertThat(tls12[0]).isEqualTo("TLSv1.2");
    assertThat(tls12[2]).startsWith("TLS_ECDHE_ECDSA_WITH_").contains("GCM");
  }

  @Test
  void onlyTls12And13WithStrongSuites() throws Exception {
    serve(mount(rsaA.certPem(), rsaA.pkcs1Pem()));
    assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(tls.cipherSuites()).isNotEmpty().allSatisfy(s ->
        assertThat(s).matches("TLS_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"
            + "|TLS_ECDHE_(RSA|ECDSA)_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"));
    String[] tls12 = connect(new String[] {"TLSv1.2"}, null);
    assertThat(tls12[2]).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    assertThatThrownBy(() -> connect(new String[] {"TLSv1.2"},
        new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"}))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void unusableFilesAtStartupFailWithTheReasonAndNoKeyMaterial() throws Exception {
    PolicyFiles m = mount(rsaA.certPem(), rsaB.pkcs8Pem());
    assertThatThrownBy(() -> ReloadingTlsContext.open(m.dir().resolve("tls.crt"),
        m.dir().resolve("tls.key"), Duration.ofHours(1), registry))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("does not belong")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("MII"));
    m.publish(Map.of("tls.crt", rsaA.certPem(), "tls.key",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"));
    assertThatThrownBy(() -> ReloadingTlsContext.open(m.dir().resolve("tls.crt"),
        m.dir().resolve("tls.key"), Duration.ofHours(1), registry))
        .hasMessageContaining("encrypted");
  }
}
