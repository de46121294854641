package io.macp.operator.verifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster source on the CRUD mock: running pods of the issuer are asked on 127.0.0.1 with the
 * key Secret's observer token; other pods, pending ones and a Secret without a token are not.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class PodVerifierCoverageSourceTest {
  static final String NS = "macp";
  static final String TOKEN = "observer-token-0123456789abcdefghij";
  /** spec.mint.tls.secretName, as the reconciler passes it. */
  static final Optional<String> TLS = Optional.of("gate-tls");
  KubernetesClient client;
  HttpServer server;
  final AtomicInteger asked = new AtomicInteger();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  int startReplica() throws Exception {
    if (server == null) {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    }
    server.createContext("/verifiers", ex -> {
      asked.incrementAndGet();
      boolean ok = ("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"));
      byte[] b = (ok ? "{\"clients\":[{\"address\":\"10.0.0.9\",\"userAgent\":\"rt\","
          + "\"lastFetch\":\"2026-11-30T05:00:00Z\",\"kids\":[\"k1\"]}]}" : "{}")
          .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(ok ? 200 : 401, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.start();
    return server.getAddress().getPort();
  }

  MacpIssuer issuer() {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withName("gate").withNamespace(NS).build());
    return issuer;
  }

  void pod(String name, Map<String, String> labels, String phase) {
    client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewStatus().withPhase(phase).withPodIP("127.0.0.1").endStatus()
        .build()).create();
  }

  void keySecret(boolean withToken) {
    SecretBuilder b = new SecretBuilder().withNewMetadata()
        .withName(IssuerNames.keySecret(issuer())).withNamespace(NS).endMetadata()
        .addToData(IssuerNames.KEYSET_KEY, "e30=");
    if (withToken) {
      b.addToData(IssuerNames.OBSERVER_TOKEN_KEY,
          Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.US_ASCII)));
    }
    client.secrets().inNamespace(NS).resource(b.build()).create();
  }

  @Test
  void asksEachRunningReplicaWithTheKeySecretsToken() throws Exception {
    int port = startReplica();
    keySecret(true);
    Map<String, String> selector = IssuerNames.podSelector(issuer());
    pod("gate-a", selector, "Running");
    pod("gate-b", selector, "Pending");
    pod("other", Map.of("app", "other"), "Running");
    var collected = new PodVerifierCoverageSource(client, new ObserverClient(), port)
        .collect(issuer(), Optional.empty()).orElseThrow();
    assertThat(asked.get()).isEqualTo(1);
    assertThat(collected.reached()).isEqualTo(1);
    assertThat(collected.failures()).isEmpty();
    assertThat(collected.coverage().verifiers()).singleElement()
        .satisfies(v -> assertThat(v.name()).isEqualTo("10.0.0.9 (rt)"));
  }

  /** More running replicas than are asked: the view is incomplete, and says so. */
  @Test
  void replicasBeyondTheCapMakeTheViewIncomplete() throws Exception {
    int port = startReplica();
    keySecret(true);
    List<java.net.URI> many = java.util.stream.IntStream.range(0,
        PodVerifierCoverageSource.MAX_REPLICAS + 2)
        .mapToObj(i -> java.net.URI.create("http://127.0.0.1:" + port)).toList();
    var collected = new PodVerifierCoverageSource(client, new ObserverClient(), i -> many)
        .collect(issuer(), Optional.empty()).orElseThrow();
    assertThat(collected.reached()).isEqualTo(PodVerifierCoverageSource.MAX_REPLICAS);
    assertThat(collected.failures()).containsExactly(
        "2 more running replicas not asked (at most 32)");
    assertThat(collected.complete()).isFalse();
  }

  /** An HTTPS replica on 127.0.0.1 with a certificate for these names from {@code ca}. */
  int startHttpsReplica(TestCa ca, String... names) throws Exception {
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(ca.issue(names).sslContext()));
    server = https;
    return startReplica();
  }

  /** The TLS Secret as cert-manager writes it: tls.crt, tls.key and, from a CA issuer, ca.crt. */
  void tlsSecret(TestCa ca) throws Exception {
    SecretBuilder b = new SecretBuilder().withNewMetadata().withName("gate-tls")
        .withNamespace(NS).endMetadata().withType("kubernetes.io/tls")
        .addToData("tls.crt", b64("unused by the operator"))
        .addToData("tls.key", b64("never read by the operator"));
    if (ca != null) {
      b.addToData("ca.crt", b64(ca.pem()));
    }
    client.secrets().inNamespace(NS).resource(b.build()).create();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void withMintTlsTheReplicasAreAskedOverHttpsAsTheService() throws Exception {
    TestCa ca = TestCa.create("gate-ca");
    int port = startHttpsReplica(ca, "gate." + NS + ".svc");
    keySecret(true);
    tlsSecret(ca);
    pod("gate-a", IssuerNames.podSelector(issuer()), "Running");
    var collected = new PodVerifierCoverageSource(client, new ObserverClient(), port)
        .collect(issuer(), TLS).orElseThrow();
    assertThat(collected.failures()).isEmpty();
    assertThat(collected.reached()).isEqualTo(1);
    assertThat(asked.get()).isEqualTo(1);
  }

  @Test
  void withMintTlsACertificateForAnotherServiceGetsNoToken() throws Exception {
    TestCa ca = TestCa.create("gate-ca");
    int port = startHttpsReplica(ca, "other." + NS + ".svc");
    keySecret(true);
    tlsSecret(ca);
    pod("gate-a", IssuerNames.podSelector(issuer()), "Running");
    var collected = new PodVerifierCoverageSource(client, new ObserverClient(), port)
        .collect(issuer(), TLS).orElseThrow();
    assertThat(collected.reached()).isZero();
    assertThat(collected.failures()).singleElement().satisfies(f -> assertThat(f)
        .startsWith("https://127.0.0.1:" + port + ": TLS: certificate names none of gate.macp.svc")
        .doesNotContain(TOKEN));
    assertThat(asked.get()).isZero();
  }

  @Test
  void withMintTlsButNoTlsSecretNoReplicaIsAsked() throws Exception {
    int port = startHttpsReplica(TestCa.create("gate-ca"), "gate." + NS + ".svc");
    keySecret(true);
    pod("gate-a", IssuerNames.podSelector(issuer()), "Running");
    var collected = new PodVerifierCoverageSource(client, new ObserverClient(), port)
        .collect(issuer(), TLS).orElseThrow();
    assertThat(collected.reached()).isZero();
    assertThat(collected.failures()).containsExactly("TLS Secret gate-tls not found");
    assertThat(asked.get()).isZero();
  }

  @Test
  void withMintTlsAndNoCaCrtTheJvmTrustStoreDecides() throws Exception {
    int port = startHttpsReplica(TestCa.create("gate-ca"), "gate." + NS + ".svc");
    keySecret(true);
    tlsSecret(null);
    pod("gate-a", IssuerNames.podSelector(issuer()), "Running");
    var collected = new PodVerifierCoverageSource(client, new ObserverClient(), port)
        .collect(issuer(), TLS).orElseThrow();
    assertThat(collected.reached()).isZero();
    assertThat(collected.failures()).singleElement().satisfies(f -> assertThat(f)
        .contains("not trusted by the JVM's default trust store"));
    assertThat(asked.get()).isZero();
  }

  @Test
  void withoutATokenNothingIsAsked() throws Exception {
    int port = startReplica();
    keySecret(false);
    pod("gate-a", IssuerNames.podSelector(issuer()), "Running");
    assertThat(new PodVerifierCoverageSource(client, new ObserverClient(), port)
        .collect(issuer(), Optional.empty())).isEmpty();
    assertThat(asked.get()).isZero();
  }
}
