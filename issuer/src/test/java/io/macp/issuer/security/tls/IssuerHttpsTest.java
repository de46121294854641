package io.macp.issuer.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.macp.issuer.AuditCapture;
import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.Tokens;
import io.macp.issuer.security.PolicyFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issuer's HTTPS, configured only through MACP_AUTH_TLS_CERT_FILE / MACP_AUTH_TLS_KEY_FILE
 * and {@code IssuerServer.start(config, clock)}, checked from the client side on 127.0.0.1.
 */
class IssuerHttpsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path certs;
  static TestCertificates.Pair rsaA;
  static TestCertificates.Pair ecB;

  @TempDir Path tmp;
  PolicyFiles mount;
  IssuerServer server;

  @BeforeAll
  static void makeCertificates() throws Exception {
    rsaA = TestCertificates.generate(certs, "issuer-a", "RSA");
    ecB = TestCertificates.generate(certs, "issuer-b", "EC");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private IssuerConfig config(String... more) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "MACP_AUTH_BIND_ADDRESS", "127.0.0.1",
        "MACP_AUTH_SIGNING_ALG", "ES256",
        "MACP_AUTH_TLS_CERT_FILE", mount.dir().resolve("tls.crt").toString(),
        "MACP_AUTH_TLS_KEY_FILE", mount.dir().resolve("tls.key").toString(),
        "MACP_AUTH_SECURITY_POLL_INTERVAL", "1s"));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return IssuerConfig.fromEnv(env);
  }

  private void mountPair(String cert, String key) throws Exception {
    if (mount == null) {
      mount = new PolicyFiles(Files.createDirectories(tmp.resolve("tls")));
    }
    mount.publish(Map.of("tls.crt", cert, "tls.key", key));
  }

  @Test
  void servesOnlyHttpsAndPicksUpARenewedCertificateWithoutRestart() throws Exception {
    mountPair(rsaA.certPem(), rsaA.pkcs1Pem());
    try (AuditCapture log = new AuditCapture(IssuerServer.class.getName())) {
      server = IssuerServer.start(config(), Clock.systemUTC());
      assertThat(log.lines()).anySatisfy(l -> assertThat(l)
          .startsWith("MACP issuer listening on 127.0.0.1:" + server.port() + " (https)")
          .contains("TLS=on (" + mount.dir().resolve("tls.crt"))
          .contains("mint authentication=None"));
    }
    assertThat(server.tlsEnabled()).isTrue();
    URI base = server.baseUri();
    assertThat(base.toString()).isEqualTo("https://127.0.0.1:" + server.port());

    HttpResponse<String> health = TlsClients.get(base.resolve("/healthz"), rsaA);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(TlsClients.peer(health)).isEqualTo("CN=issuer-a");

    // Minting and verifying work over HTTPS; discovery names https URLs.
    HttpClient client = TlsClients.client(rsaA);
    HttpResponse<String> minted = client.send(HttpRequest.newBuilder(base.resolve("/tokens"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"sender\":\"agent://a\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(minted.statusCode()).isEqualTo(200);
    String jwks = TlsClients.get(base.resolve("/.well-known/jwks.json"), rsaA).body();
    assertThat(Tokens.claims(JSON.readTree(minted.body()).get("token").asText(), jwks)
        .getSubject()).isEqualTo("agent://a");
    assertThat(JSON.readTree(TlsClients.get(base.resolve("/.well-known/openid-configuration"),
        rsaA).body()).get("jwks_uri").asText())
        .isEqualTo(base + "/.well-known/jwks.json");

    // No plain HTTP on the port.
    URI plain = URI.create("http://127.0.0.1:" + server.port() + "/healthz");
    assertThat(plainAnswer(plain)).isNotEqualTo(200);

    // Renewal (cert-manager rewrites the Secret; the kubelet swaps ..data): picked up by polling.
    mountPair(ecB.certPem(), ecB.sec1Pem());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String peer;
    do {
      Thread.sleep(100);
      peer = TlsClients.peer(TlsClients.get(base.resolve("/healthz"), rsaA, ecB));
    } while (!peer.equals("CN=issuer-b") && System.nanoTime() < deadline);
    assertThat(peer).isEqualTo("CN=issuer-b");
    // A client that trusts only the old certificate is now refused: the switch is real.
    assertThatThrownBy(() -> TlsClients.get(base.resolve("/healthz"), rsaA))
        .isInstanceOf(IOException.class);

    // A renewal whose key does not match is refused, counted on this instance's registry, and
    // the last good certificate stays.
    mountPair(rsaA.certPem(), ecB.pkcs8Pem());
    String failures = "macp_issuer_config_reload_failures_total{file=\"tls\"} 1.0";
    deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String metrics;
    do {
      Thread.sleep(100);
      metrics = TlsClients.get(base.resolve("/metrics"), ecB).body();
    } while (!metrics.contains(failures) && System.nanoTime() < deadline);
    assertThat(metrics).contains(failures);
    assertThat(TlsClients.peer(TlsClients.get(base.resolve("/healthz"), rsaA, ecB)))
        .isEqualTo("CN=issuer-b");
  }

  private static int plainAnswer(URI uri) {
    try {
      return HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      return -1; // the TLS connector drops a plain-text request
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void thePublicPortSpeaksTheSameHttpsAndNeverMints() throws Exception {
    mountPair(rsaA.certPem(), rsaA.pkcs8Pem());
    server = IssuerServer.start(config("MACP_AUTH_PUBLIC_PORT", "0"), Clock.systemUTC());
    URI pub = server.publicBaseUri();
    assertThat(pub.toString()).isEqualTo("https://127.0.0.1:" + server.publicPort());
    assertThat(server.publicPort()).isNotEqualTo(server.port());
    HttpResponse<String> jwks = TlsClients.get(pub.resolve("/.well-known/jwks.json"), rsaA);
    assertThat(jwks.statusCode()).isEqualTo(200);
    assertThat(TlsClients.peer(jwks)).isEqualTo("CN=issuer-a");
    assertThat(TlsClients.get(pub.resolve("/readyz"), rsaA).statusCode()).isEqualTo(200);
    HttpClient client = TlsClients.client(rsaA);
    HttpRequest mint = HttpRequest.newBuilder(pub.resolve("/tokens"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"sender\":\"agent://a\"}")).build();
    assertThat(client.send(mint, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(404);
    HttpRequest mintOnMain = HttpRequest.newBuilder(server.baseUri().resolve("/tokens"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"sender\":\"agent://a\"}")).build();
    assertThat(client.send(mintOnMain, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    // No plain HTTP on either port.
    assertThat(plainAnswer(URI.create("http://127.0.0.1:" + server.publicPort() + "/healthz")))
        .isNotEqualTo(200);
    assertThat(plainAnswer(URI.create("http://127.0.0.1:" + server.port() + "/healthz")))
        .isNotEqualTo(200);
  }

  @Test
  void onlyTls13And12WithAeadEcdheSuitesThroughTheIssuer() throws Exception {
    mountPair(rsaA.certPem(), rsaA.pkcs8Pem());
    server = IssuerServer.start(config(), Clock.systemUTC());
    assertThat(handshake(null, null)).isEqualTo("TLSv1.3");
    assertThat(handshake(new String[] {"TLSv1.2"}, null))
        .isEqualTo("TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    // CBC and static-RSA suites are refused by the server, though this client offers them.
    assertThatThrownBy(() -> handshake(new String[] {"TLSv1.2"},
        new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_GCM_SHA256"}))
        .isInstanceOf(SSLHandshakeException.class);
    // The same client gets through once it also offers an AEAD ECDHE suite.
    assertThat(handshake(new String[] {"TLSv1.2"},
        new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}))
        .isEqualTo("TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  }

  /** The protocol (and for TLS 1.2 the suite) negotiated with the issuer. */
  private String handshake(String[] protocols, String[] suites) throws Exception {
    try (SSLSocket s = TlsClients.handshake(server.port(), protocols, suites, rsaA, ecB)) {
      String protocol = s.getSession().getProtocol();
      return protocol.equals("TLSv1.3") ? protocol : protocol + " " + s.getSession().getCipherSuite();
    }
  }

  @Test
  void anUnusablePairStopsStartupWithTheReasonAndNoKeyMaterial() throws Exception {
    mountPair(rsaA.certPem(), ecB.pkcs8Pem());
    assertThatThrownBy(() -> IssuerServer.start(config(), Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tls.key does not belong to the certificate")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("MII").doesNotContain("BEGIN"));
  }

  @Test
  void httpsAndTheMintPolicyComeTogetherFromTheSameEnvironment() throws Exception {
    mountPair(rsaA.certPem(), rsaA.pkcs8Pem());
    PolicyFiles tokenMount = new PolicyFiles(Files.createDirectories(tmp.resolve("tokens")));
    tokenMount.publish(Map.of("orchestrator", "orch-token-0123456789abcdef"));
    Path policy = tmp.resolve("policy.json");
    Files.writeString(policy, """
        {"authentication": "SharedSecret", "sharedSecret": {"tokensDir": "tokens"},
         "clients": [{"sharedSecret": "orchestrator", "senders": ["agent://team-a/*"]}]}
        """);
    server = IssuerServer.start(config("MACP_AUTH_MINT_POLICY_FILE", policy.toString()),
        Clock.systemUTC());
    HttpClient client = TlsClients.client(rsaA);
    HttpRequest.Builder mint = HttpRequest.newBuilder(server.baseUri().resolve("/tokens"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"sender\":\"agent://team-a/x\"}"));
    assertThat(client.send(mint.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
    HttpResponse<String> ok = client.send(
        mint.header("Authorization", "Bearer orch-token-0123456789abcdef").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(TlsClients.peer(ok)).isEqualTo("CN=issuer-a");
  }
}
