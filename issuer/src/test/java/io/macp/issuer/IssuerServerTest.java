package io.macp.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.macp.issuer.http.MintDecision;
import io.macp.issuer.http.MintGate;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.ManagedKey;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** Starting, embedding and stopping issuers, with the key sources the configuration names. */
class IssuerServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static IssuerConfig config(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("MACP_AUTH_BIND_ADDRESS", "127.0.0.1");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return IssuerConfig.fromEnv(env);
  }

  private static String kidOfMintedToken(Http http) throws Exception {
    HttpResponse<String> r = http.postJson("/tokens", "{\"sender\":\"agent://a\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String token = JSON.readTree(r.body()).get("token").asText();
    Tokens.verify(token, http.get("/.well-known/jwks.json").body());
    return SignedJWT.parse(token).getHeader().getKeyID();
  }

  private static List<String> jwksKids(Http http) throws Exception {
    return JWKSet.parse(http.get("/.well-known/jwks.json").body()).getKeys().stream()
        .map(JWK::getKeyID).toList();
  }

  @Test
  void envKeyKeepsItsKid() throws Exception {
    String jwk = TestKeys.rs256("configured-kid").toJSONString();
    try (IssuerServer s = IssuerServer.start(config("MACP_AUTH_SIGNING_KEY_JSON", jwk),
        Clock.systemUTC())) {
      Http http = new Http(s.baseUri());
      assertThat(s.keySourceKind()).isEqualTo("env");
      assertThat(kidOfMintedToken(http)).isEqualTo("configured-kid");
      assertThat(jwksKids(http)).containsExactly("configured-kid");
    }
  }

  @Test
  void envKeyWithoutKidIsKey1() throws Exception {
    JWK noKid = new RSAKey.Builder((RSAKey) TestKeys.rs256("any")).keyID(null).build();
    try (IssuerServer s = IssuerServer.start(
        config("MACP_AUTH_SIGNING_KEY_JSON", noKid.toJSONString()), Clock.systemUTC())) {
      assertThat(kidOfMintedToken(new Http(s.baseUri()))).isEqualTo("key-1");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256"})
  void withoutAnyKeyAnEphemeralKeyNamedDevKey1SignsAndALoudWarningIsLogged(String alg)
      throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger(IssuerServer.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    log.addAppender(logs);
    try (IssuerServer s = IssuerServer.start(config("MACP_AUTH_SIGNING_ALG", alg),
        Clock.systemUTC())) {
      Http http = new Http(s.baseUri());
      assertThat(s.keySourceKind()).isEqualTo("ephemeral");
      assertThat(kidOfMintedToken(http)).isEqualTo("dev-key-1");
      assertThat(JSON.readTree(http.get("/.well-known/jwks.json").body())
          .get("keys").get(0).get("alg").asText()).isEqualTo(alg);
      ILoggingEvent startup = logs.list.stream()
          .filter(e -> e.getFormattedMessage().startsWith("MACP issuer listening")).findFirst()
          .orElseThrow();
      assertThat(startup.getFormattedMessage())
          .contains("issuer=macp-auth-service", "audience=macp-runtime",
              "key source=ephemeral", "alg=" + alg);
      assertThat(logs.list).anySatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains("EPHEMERAL SIGNING KEY");
      });
    } finally {
      log.detachAppender(logs);
    }
  }

  @Test
  void withoutAMintPolicyTheStartupLineSaysNoneAndAWarningPointsToTheSecurityDocs()
      throws Exception {
    try (AuditCapture log = new AuditCapture(IssuerServer.class.getName());
        IssuerServer s = IssuerServer.start(config(), Clock.systemUTC(),
            new PushKeySetSource(TestKeys.single(TestKeys.es256("k"))))) {
      assertThat(log.lines()).anySatisfy(l -> assertThat(l)
          .startsWith("MACP issuer listening on 127.0.0.1:" + s.port() + " (http)")
          .contains("mint authentication=None,", "TLS=off"));
      assertThat(log.events()).anySatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains("ANYONE who can reach port " + s.port(),
            "ANY sender", "docs/security.md");
      });
      assertThat(s.tlsEnabled()).isFalse();
      // and it is open indeed: no credentials needed
      assertThat(new Http(s.baseUri()).postJson("/tokens", "{\"sender\":\"agent://any\"}")
          .statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aGivenGateFactoryReplacesTheConfiguredGateAndIsNamedCustom(@TempDir Path dir)
      throws Exception {
    Path missingPolicy = dir.resolve("no-such-policy.json");
    try (AuditCapture log = new AuditCapture(IssuerServer.class.getName());
        IssuerServer s = IssuerServer.start(
            config("MACP_AUTH_MINT_POLICY_FILE", missingPolicy.toString()), Clock.systemUTC(),
            new PushKeySetSource(TestKeys.single(TestKeys.es256("k"))),
            registry -> (ctx, request) -> MintDecision.forbidden("custom", "test"))) {
      assertThat(log.lines()).anySatisfy(l -> assertThat(l).contains("mint authentication=custom"));
      assertThat(new Http(s.baseUri()).postJson("/tokens", "{\"sender\":\"a\"}").statusCode())
          .isEqualTo(403);
    }
  }

  @Test
  void anUnusableMintPolicyFailsStartupWithTheReasonAndFreesTheSource(@TempDir Path dir)
      throws Exception {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"authentication\": \"SharedSecret\", \"clients\": []}");
    PushKeySetSource source = new PushKeySetSource(TestKeys.single(TestKeys.es256("k")));
    assertThatThrownBy(() -> IssuerServer.start(
        config("MACP_AUTH_MINT_POLICY_FILE", policy.toString()), Clock.systemUTC(), source))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mint-policy: mint policy: sharedSecret is required");
    assertThat(source.isClosed()).isTrue();
  }

  @Test
  void aBadKeyFailsStartupWithoutEchoingItAndFreesEverything() {
    String bad = "{\"kty\":\"RSA\",\"n\":\"SECRET-N\",\"e\":\"AQAB\",\"d\":\"SECRET-D\"}";
    assertThatThrownBy(() -> IssuerServer.start(config("MACP_AUTH_SIGNING_KEY_JSON", bad),
        Clock.systemUTC()))
        .hasMessageContaining("MACP_AUTH_SIGNING_KEY_JSON")
        .message().doesNotContain("SECRET");
    String ec = TestKeys.es256("ec").toJSONString();
    assertThatThrownBy(() -> IssuerServer.start(config("MACP_AUTH_SIGNING_KEY_JSON", ec),
        Clock.systemUTC()))
        .hasMessageContaining("RS256");
  }

  @Test
  void aPortInUseFailsStartupAndClosesTheSource() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      PushKeySetSource source = new PushKeySetSource(TestKeys.single(TestKeys.es256("k")));
      IssuerConfig c = config().withPort(taken.getLocalPort());
      assertThatThrownBy(() -> IssuerServer.start(c, Clock.systemUTC(), source))
          .isInstanceOf(RuntimeException.class);
      assertThat(source.isClosed()).isTrue();
    }
  }

  @Test
  void manyIssuersRunSideBySideEachWithItsOwnMetrics() throws Exception {
    try (IssuerServer one = IssuerServer.start(config(), Clock.systemUTC(),
            new PushKeySetSource(TestKeys.single(TestKeys.es256("one"))));
        IssuerServer two = IssuerServer.start(config(), Clock.systemUTC(),
            new PushKeySetSource(TestKeys.single(TestKeys.es256("two"))))) {
      assertThat(one.port()).isNotEqualTo(two.port());
      assertThat(one.meterRegistry()).isNotSameAs(two.meterRegistry());
      Http h1 = new Http(one.baseUri());
      Http h2 = new Http(two.baseUri());
      assertThat(kidOfMintedToken(h1)).isEqualTo("one");
      assertThat(kidOfMintedToken(h2)).isEqualTo("two");
      kidOfMintedToken(h1);
      assertThat(h1.get("/metrics").body())
          .contains("macp_issuer_mints_total{outcome=\"issued\"} 2.0");
      assertThat(h2.get("/metrics").body())
          .contains("macp_issuer_mints_total{outcome=\"issued\"} 1.0");
    }
  }

  @Test
  void closeDrainsARequestInFlightThenStopsAcceptingAndClosesSourceAndGate() throws Exception {
    CountDownLatch inGate = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean gateClosed = new AtomicBoolean();
    MintGate slow = new MintGate() {
      @Override
      public MintDecision decide(io.javalin.http.Context ctx, io.macp.issuer.http.MintRequest r) {
        inGate.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return MintDecision.allow("slow");
      }

      @Override
      public void close() {
        gateClosed.set(true);
      }
    };
    PushKeySetSource source = new PushKeySetSource(TestKeys.single(TestKeys.es256("k")));
    IssuerServer server = IssuerServer.start(config("MACP_AUTH_DRAIN_TIMEOUT", "10s"),
        Clock.systemUTC(), source, registry -> slow);
    Http http = new Http(server.baseUri());
    int port = server.port();
    CompletableFuture<HttpResponse<String>> inFlight =
        CompletableFuture.supplyAsync(() -> http.postJson("/tokens", "{\"sender\":\"a\"}"));
    assertThat(inGate.await(5, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    Thread.sleep(300);
    assertThat(closing).isNotDone();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);

    release.countDown();
    HttpResponse<String> answer = inFlight.get(5, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).has("token")).isTrue();
    closing.get(5, TimeUnit.SECONDS);
    assertThat(source.isClosed()).isTrue();
    assertThat(gateClosed).isTrue();
    server.close();
  }

  @Test
  void keySetFileIsWatchedAndItsReloadsAreCountedOnTheInstanceRegistry(@TempDir Path dir)
      throws Exception {
    Instant t0 = Instant.now().minus(Duration.ofMinutes(1));
    Path file = dir.resolve("keyset.json");
    JWK a = TestKeys.es256("file-a");
    JWK b = TestKeys.es256("file-b");
    Files.writeString(file, KeySetJson.write(TestKeys.single(a)));
    try (IssuerServer s = IssuerServer.start(config("MACP_AUTH_KEYSET_FILE", file.toString(),
        "MACP_AUTH_KEYSET_POLL_INTERVAL", "50ms", "MACP_AUTH_SIGNING_ALG", "ES256"),
        Clock.systemUTC())) {
      Http http = new Http(s.baseUri());
      assertThat(s.keySourceKind()).isEqualTo("file");
      assertThat(kidOfMintedToken(http)).isEqualTo("file-a");
      String tokenA = JSON.readTree(http.postJson("/tokens", "{\"sender\":\"x\"}").body())
          .get("token").asText();
      // The operator's successor: a retired but still public, b signing.
      KeySet next = new KeySet(List.of(
          new ManagedKey(a, Instant.EPOCH, Instant.EPOCH, t0, t0.plus(Duration.ofHours(1)), null),
          ManagedKey.created(b, t0.minus(Duration.ofHours(2)), t0)));
      Path tmp = dir.resolve("keyset.json.tmp");
      Files.writeString(tmp, KeySetJson.write(next));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!jwksKids(http).contains("file-b") && System.nanoTime() < deadline) {
        Thread.sleep(25);
      }
      assertThat(kidOfMintedToken(http)).isEqualTo("file-b");
      Tokens.verify(tokenA, http.get("/.well-known/jwks.json").body());
      assertThat(http.get("/metrics").body()).contains("macp_issuer_keyset_reloads_total 1.0")
          .contains("macp_issuer_keyset_reload_failures_total{reason=");
    }
  }

  @Test
  void baseUriNamesLoopbackForAWildcardBind() {
    try (IssuerServer s = IssuerServer.start(
        IssuerConfig.fromEnv(Map.of("PORT", "0", "MACP_AUTH_BIND_ADDRESS", "0.0.0.0")),
        Clock.systemUTC(), new PushKeySetSource(TestKeys.single(TestKeys.es256("k"))))) {
      assertThat(s.baseUri().toString()).isEqualTo("http://127.0.0.1:" + s.port());
      assertThat(new Http(s.baseUri()).get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void startupWithNoSignerYetIsNotReady() throws Exception {
    Instant now = Instant.parse("2026-11-23T12:00:00Z");
    SettableClock clock = new SettableClock(now);
    KeySet later = new KeySet(List.of(
        ManagedKey.created(TestKeys.es256("k"), now, now.plus(Duration.ofMinutes(1)))));
    try (IssuerServer s = IssuerServer.start(config(), clock, new PushKeySetSource(later))) {
      assertThat(new Http(s.baseUri()).get("/readyz").statusCode()).isEqualTo(503);
    }
  }
}
