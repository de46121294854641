package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mint security in embedded mode: the operator's policy ConfigMap and the token Secret reach
 * real in-process issuers through the kubelet simulation, which then enforce the policy; the
 * public port serves the JWKS and never the mint. TLS works on both ports, probes included.
 * ServiceAccount mode is refused clearly.
 */
class EmbeddedMintSecurityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newHttpClient();

  /** Like examples/secure-mint.yaml without TLS, plus the token Secret a test makes. */
  static String secureMint(String token) {
    return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: secure-mint-tokens
          namespace: demo
        stringData:
          orchestrator: "%s"
        ---
        apiVersion: macp.io/v1alpha1
        kind: MacpIssuer
        metadata:
          name: secure-mint
          namespace: demo
        spec:
          replicas: 1
          signing:
            algorithm: ES256
          mint:
            authentication: SharedSecret
            sharedSecretRef: secure-mint-tokens
            clients:
              - sharedSecret: orchestrator
                senders: ["agent://team-a/*"]
                maxTtl: 15m
            allowedFrom:
              - podSelector:
                  matchLabels:
                    app.kubernetes.io/name: orchestrator
        """.formatted(token);
  }

  @Test
  void aSharedSecretIssuerMintsOnlyForItsBearerAndPublishesItsKeysOnThePublicPort()
      throws Exception {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifestYaml(secureMint(token))
        .workingDir(Path.of(""))
        .seed(7)
        .issuers(InProcessIssuerLauncher.create(Clock.systemUTC()))
        .start()) {
      KubeletSimulator.DeploymentView view =
          cluster.kubelet().awaitServing("demo", "secure-mint", WAIT);
      ReplicaView replica = view.replicas().get(0);
      URI main = replica.baseUri();
      URI pub = replica.publicBaseUri();
      assertThat(view.baseUris()).containsExactly(main);
      assertThat(pub).isNotNull().isNotEqualTo(main);
      assertThat(pub.getHost()).isEqualTo("127.0.0.1");

      String body = "{\"sender\":\"agent://team-a/planner\"}";
      assertThat(mint(main, body, null).statusCode()).isEqualTo(401);
      HttpResponse<String> wrong = mint(main, body, "Bearer " + token + "x");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).isEqualTo("{\"error\":\"unauthenticated\"}");
      assertThat(mint(main, "{\"sender\":\"agent://team-b/planner\"}", "Bearer " + token)
          .statusCode()).isEqualTo(403);

      HttpResponse<String> minted = mint(main, body, "Bearer " + token);
      assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
      SignedJWT jwt = SignedJWT.parse(JSON.readTree(minted.body()).get("token").asText());
      assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("agent://team-a/planner");

      // The public port: the JWKS that verifies it, and no mint even with the right bearer.
      JWKSet jwks = JWKSet.parse(get(pub.resolve("/.well-known/jwks.json")).body());
      ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
      assertThat(key).isNotNull();
      assertThat(key.isPrivate()).isFalse();
      assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
      assertThat(get(pub.resolve("/readyz")).statusCode()).isEqualTo(200);
      assertThat(mint(pub, body, "Bearer " + token).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aTlsIssuerIsProbedAndServedOverHttpsOnBothPorts(@TempDir Path tmp) throws Exception {
    KeyStore store = selfSigned(tmp);
    X509Certificate cert = (X509Certificate) store.getCertificate("issuer");
    PrivateKey key = (PrivateKey) store.getKey("issuer", PASSWORD.toCharArray());
    String manifest = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: tls-mint-tls
          namespace: demo
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
        ---
        apiVersion: macp.io/v1alpha1
        kind: MacpIssuer
        metadata:
          name: tls-mint
          namespace: demo
        spec:
          replicas: 1
          signing:
            algorithm: ES256
          mint:
            tls:
              secretName: tls-mint-tls
        """.formatted(base64(pem("CERTIFICATE", cert.getEncoded())),
            base64(pem("PRIVATE KEY", key.getEncoded())));
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifestYaml(manifest)
        .workingDir(Path.of(""))
        .seed(9)
        .issuers(InProcessIssuerLauncher.create(Clock.systemUTC()))
        .start()) {
      // Serving means the simulator's /readyz probe got through HTTPS on the public port.
      ReplicaView replica =
          cluster.kubelet().awaitServing("demo", "tls-mint", WAIT).replicas().get(0);
      assertThat(replica.baseUri().getScheme()).isEqualTo("https");
      assertThat(replica.publicBaseUri().getScheme()).isEqualTo("https");
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("issuer", cert);
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      HttpClient https = HttpClient.newBuilder().sslContext(context).build();
      HttpResponse<String> jwks = https.send(HttpRequest.newBuilder(
          replica.publicBaseUri().resolve("/.well-known/jwks.json")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(jwks.statusCode()).isEqualTo(200);
      HttpResponse<String> minted = https.send(HttpRequest.newBuilder(
              replica.baseUri().resolve("/tokens"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"sender\":\"agent://a\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
    }
  }

  private static final String PASSWORD = "changeit";

  /** A self-signed P-256 certificate for 127.0.0.1, made by the JDK's keytool. */
  private static KeyStore selfSigned(Path dir) throws Exception {
    Path file = dir.resolve("issuer.p12");
    Process keytool = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "issuer", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=tls-mint", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", file.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(file)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aServiceAccountIssuerIsNotStartedAndSaysWhy() throws Exception {
    String manifest = """
        apiVersion: macp.io/v1alpha1
        kind: MacpIssuer
        metadata:
          name: sa-mint
          namespace: demo
        spec:
          replicas: 1
          signing:
            algorithm: ES256
          mint:
            authentication: ServiceAccount
            clients:
              - serviceAccount: demo/orchestrator
                senders: ["agent://team-a/*"]
        """;
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifestYaml(manifest)
        .workingDir(Path.of(""))
        .seed(8)
        .issuers(InProcessIssuerLauncher.create(Clock.systemUTC()))
        .start()) {
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(cluster.kubelet().replicas("demo", "sa-mint")).singleElement()
              .satisfies(r -> {
                assertThat(r.baseUri()).isNull();
                assertThat(r.ready()).isFalse();
                assertThat(r.problem())
                    .contains("projected serviceAccountToken")
                    .contains("/var/run/macp/serviceaccount")
                    .contains("docs/embedded.md");
              }));
      assertThat(cluster.kubelet().deployment("demo", "sa-mint").orElseThrow().serving())
          .isFalse();
    }
  }

  private HttpResponse<String> mint(URI base, String body, String authorization)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/tokens"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
