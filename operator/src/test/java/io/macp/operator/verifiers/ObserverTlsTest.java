package io.macp.operator.verifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /verifiers over HTTPS to a replica reached by IP (real sockets on 127.0.0.1): the operator
 * authenticates it as the issuer Service before the observer token leaves, and says why when it
 * cannot. Every refusal is checked on the server side too: the request, and so the token, never
 * arrived.
 */
class ObserverTlsTest {
  static final String TOKEN = "observer-token-0123456789abcdef";
  static final List<String> NAMES = List.of("auth.team-a.svc", "auth.team-a.svc.cluster.local");
  static final String ANSWER = "{\"clients\":[{\"address\":\"10.0.0.9\",\"userAgent\":\"rt\","
      + "\"lastFetch\":\"2026-11-30T05:00:00Z\",\"kids\":[\"k1\"]}]}";
  static TestCa ca;
  static TestCa otherCa;

  /** Authorization headers of every request that reached a handler. */
  final List<String> seen = new CopyOnWriteArrayList<>();
  HttpServer server;

  @BeforeAll
  static void cas() throws Exception {
    ca = TestCa.create("issuer-ca");
    otherCa = TestCa.create("someone-else");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** An HTTPS replica with this server certificate; returns its https base URI on 127.0.0.1. */
  URI https(TestCa.Server cert) throws Exception {
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    SSLContext context = cert.sslContext();
    s.setHttpsConfigurator(new HttpsConfigurator(context));
    return start(s, "https");
  }

  URI start(HttpServer s, String scheme) {
    server = s;
    s.createContext("/verifiers", ex -> {
      seen.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      byte[] b = ANSWER.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    s.start();
    return URI.create(scheme + "://127.0.0.1:" + s.getAddress().getPort());
  }

  static ObserverTls trusting(TestCa anchor) throws Exception {
    return ObserverTls.of(NAMES, Optional.of(anchor.pem().getBytes(StandardCharsets.US_ASCII)),
        "auth-tls");
  }

  ObserverClient.Collected collect(URI replica, ObserverTls tls) {
    return new ObserverClient().collect(List.of(replica), TOKEN, Optional.of(tls));
  }

  void assertRefused(ObserverClient.Collected c, String why) {
    assertThat(c.reached()).isZero();
    assertThat(c.coverage().verifiers()).isEmpty();
    assertThat(c.failures()).singleElement().satisfies(f -> assertThat(f)
        .contains(why).contains("the token was not sent").doesNotContain(TOKEN));
    assertThat(seen).as("no request, so no token, reached the replica").isEmpty();
  }

  @Test
  void aCertificateForTheServiceFromTheSecretsCaIsReadWithTheToken() throws Exception {
    URI replica = https(ca.issue("auth.team-a.svc"));
    ObserverClient.Collected c = collect(replica, trusting(ca));
    assertThat(c.failures()).isEmpty();
    assertThat(c.reached()).isEqualTo(1);
    assertThat(c.coverage().verifiers()).singleElement()
        .satisfies(v -> assertThat(v.name()).isEqualTo("10.0.0.9 (rt)"));
    assertThat(seen).containsExactly("Bearer " + TOKEN);
  }

  @Test
  void theFullyQualifiedServiceNameIsAcceptedToo() throws Exception {
    URI replica = https(ca.issue("AUTH.team-a.svc.cluster.local"));
    assertThat(collect(replica, trusting(ca)).reached()).isEqualTo(1);
    assertThat(seen).containsExactly("Bearer " + TOKEN);
  }

  @Test
  void aCertificateOfAnotherCaIsRefusedBeforeTheTokenIsSent() throws Exception {
    URI replica = https(otherCa.issue("auth.team-a.svc"));
    assertRefused(collect(replica, trusting(ca)), "not trusted by ca.crt of Secret auth-tls");
  }

  @Test
  void aTrustedCertificateForAnotherNameIsRefused() throws Exception {
    URI replica = https(ca.issue("other.team-a.svc", "localhost"));
    assertRefused(collect(replica, trusting(ca)),
        "certificate names none of auth.team-a.svc, auth.team-a.svc.cluster.local"
            + " (its DNS names: other.team-a.svc, localhost)");
  }

  @Test
  void thePodIpIsNeverTheIdentityNorAreShortOrWildcardNames() throws Exception {
    // the address connected to, in the certificate: still not the Service
    URI replica = https(ca.issue("ip:127.0.0.1"));
    assertRefused(collect(replica, trusting(ca)), "(its DNS names: none)");
    stop();
    replica = https(ca.issue("*.team-a.svc", "auth.team-a", "auth"));
    assertRefused(collect(replica, trusting(ca)), "certificate names none of");
  }

  @Test
  void plainHttpWhereTlsIsExpectedIsRefused() throws Exception {
    // a server that waits for a request line (the JDK's) never answers the ClientHello
    URI plain = start(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http");
    URI asHttps = URI.create("https://" + plain.getRawAuthority());
    assertRefused(collect(asHttps, trusting(ca)), "no TLS handshake within 2s");
  }

  @Test
  void plainHttpThatAnswersTheClientHelloIsRefused() throws Exception {
    // one that answers 400 at once, as Jetty does: the handshake fails on the answer
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Thread t = new Thread(() -> {
        try (Socket s = plain.accept()) {
          byte[] buf = new byte[4096];
          int n = s.getInputStream().read(buf);
          received.write(buf, 0, Math.max(n, 0));
          s.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
              + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (Exception ignored) {
          // the client hung up
        }
      });
      t.start();
      assertRefused(collect(URI.create("https://127.0.0.1:" + plain.getLocalPort()),
          trusting(ca)), "TLS handshake failed");
      t.join(5000);
    }
    assertThat(received.size()).as("a ClientHello arrived").isPositive();
    assertThat(received.toString(StandardCharsets.ISO_8859_1)).doesNotContain(TOKEN);
  }

  @Test
  void withoutCaCrtTheJvmTrustStoreDecidesAndAPrivateCaIsNotInIt() throws Exception {
    URI replica = https(ca.issue("auth.team-a.svc"));
    ObserverTls jvm = ObserverTls.of(NAMES, Optional.empty(), "auth-tls");
    assertThat(jvm.trustAnchors()).isEmpty();
    assertRefused(collect(replica, jvm), "not trusted by the JVM's default trust store");
  }

  @Test
  void aBundleOfSeveralCasTrustsEach() throws Exception {
    URI replica = https(ca.issue("auth.team-a.svc"));
    byte[] bundle = (otherCa.pem() + ca.pem()).getBytes(StandardCharsets.US_ASCII);
    ObserverTls tls = ObserverTls.of(NAMES, Optional.of(bundle), "auth-tls");
    assertThat(tls.trustAnchors()).hasSize(2);
    assertThat(collect(replica, tls).reached()).isEqualTo(1);
  }

  @Test
  void anUnusableCaCrtIsAnErrorNotAFallback() {
    assertThatThrownBy(() -> ObserverTls.of(NAMES,
        Optional.of("not a certificate".getBytes(StandardCharsets.US_ASCII)), "auth-tls"))
        .isInstanceOf(ObserverClient.ObserverException.class)
        .hasMessage("ca.crt of Secret auth-tls is not a PEM certificate bundle");
    assertThatThrownBy(() -> ObserverTls.of(NAMES,
        Optional.of(new byte[ObserverTls.MAX_CA_BYTES + 1]), "auth-tls"))
        .hasMessageContaining("larger than");
  }

  @Test
  void oneHttpsClientPerTlsIdentityIsKeptAndBounded() throws Exception {
    URI replica = https(ca.issue("auth.team-a.svc"));
    ObserverClient observer = new ObserverClient();
    for (int i = 0; i < 3; i++) {
      assertThat(observer.collect(List.of(replica), TOKEN, Optional.of(trusting(ca))).reached())
          .isEqualTo(1);
    }
    assertThat(observer.tlsClients()).isEqualTo(1);
    for (int i = 0; i < ObserverClient.MAX_TLS_CLIENTS + 4; i++) {
      observer.collect(List.of(), TOKEN, Optional.of(ObserverTls.of(
          List.of("svc-" + i + ".team-a.svc"), Optional.empty(), "s")));
    }
    assertThat(observer.tlsClients()).isEqualTo(ObserverClient.MAX_TLS_CLIENTS);
  }
}
