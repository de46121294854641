package io.macp.issuer.security.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.sun.net.httpserver.HttpServer;
import io.macp.issuer.AuditCapture;
import io.macp.issuer.Http;
import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.TestKeys;
import io.macp.issuer.http.AuditAppender;
import io.macp.issuer.http.MintAudit;
import io.macp.issuer.security.PolicyFiles;
import io.macp.issuer.security.authn.TokenReviewClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The hostile inputs of the issuer's input-hardening issue that involve credentials, each a named
 * regression test over real sockets on 127.0.0.1 against an issuer configured only through its
 * environment, as in a pod. Each failed on the code before the fix.
 */
class HostileInputPolicyTest {
  private static final String TOKEN = "orch-token-0123456789abcdef";
  private static final String OTHER = "other-token-0123456789abcdef";
  private static final String BODY = "{\"sender\":\"agent://team-a/x\",\"ttl_seconds\":60}";

  @TempDir Path tmp;
  IssuerServer server;
  Http http;
  PolicyFiles tokens;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String sharedSecretPolicy(String tokensDir) {
    return """
        {"authentication": "SharedSecret", "sharedSecret": {"tokensDir": "%s"},
         "clients": [{"sharedSecret": "orchestrator", "senders": ["agent://team-a/*"]},
                     {"sharedSecret": "other", "senders": ["agent://team-a/*"]}]}
        """.formatted(tokensDir);
  }

  /** An issuer in SharedSecret mode with a public port, polling every second. */
  private void startSharedSecret() throws IOException {
    tokens = new PolicyFiles(Files.createDirectories(tmp.resolve("tokens")));
    tokens.publish(Map.of("orchestrator", TOKEN, "other", OTHER));
    Files.writeString(tmp.resolve("policy.json"), sharedSecretPolicy("tokens"));
    start(tmp.resolve("policy.json"));
  }

  private void start(Path policy) {
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "MACP_AUTH_PUBLIC_PORT", "0",
        "MACP_AUTH_BIND_ADDRESS", "127.0.0.1",
        "MACP_AUTH_SIGNING_KEY_JSON", TestKeys.rs256("k1").toJSONString(),
        "MACP_AUTH_MINT_POLICY_FILE", policy.toString(),
        "MACP_AUTH_SECURITY_POLL_INTERVAL", "1s"));
    server = IssuerServer.start(IssuerConfig.fromEnv(env), Clock.systemUTC());
    http = new Http(server.baseUri());
  }

  private HttpResponse<String> mint(String token) {
    return token == null
        ? http.post("/tokens", BODY, "Content-Type", "application/json")
        : http.post("/tokens", BODY, "Content-Type", "application/json",
            "Authorization", "Bearer " + token);
  }

  /** Polls (every 200 ms, up to 10 s) until the mint with this token answers {@code status}. */
  private void awaitMintStatus(String token, int status) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int last = -1;
    while (System.nanoTime() < until) {
      last = mint(token).statusCode();
      if (last == status) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(last).as("mint status after 10 s").isEqualTo(status);
  }

  // Input 2: ~62 bodies sent one byte every 5 s, with no credentials, stopped every port.
  @Test
  void input02_slowBodiesWithoutCredentialsHoldNoThread() throws Exception {
    startSharedSecret();
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        // From several loopback addresses: the per-address bound is not what this is about.
        Socket s = new Socket("127.0.0.1", server.port(),
            InetAddress.getByName("127.0.1." + (1 + i % 10)), 0);
        s.getOutputStream().write(("POST /tokens HTTP/1.1\r\nHost: x\r\nContent-Type: "
            + "application/json\r\nContent-Length: 60000\r\n\r\n{\"sender\":")
            .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        slow.add(s);
      }
      // Each is answered 401 at once, on its headers: no thread waits for its body.
      for (Socket s : slow.subList(0, 20)) {
        s.setSoTimeout(3000);
        String status = new String(s.getInputStream().readNBytes(12),
            StandardCharsets.ISO_8859_1);
        assertThat(status).isEqualTo("HTTP/1.1 401");
      }
      long t0 = System.nanoTime();
      assertThat(mint(TOKEN).statusCode()).isEqualTo(200);
      Http publicPort = new Http(server.publicBaseUri());
      assertThat(publicPort.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(publicPort.get("/.well-known/jwks.json").statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  // Input 1 and 5: refused requests were audited with their scopes (44 MB for one request).
  @Test
  void input05_anUnauthenticatedRequestCostsOneSmallAuditLineWhateverItsBody() throws Exception {
    startSharedSecret();
    StringBuilder body = new StringBuilder("{\"sender\":\"agent://team-a/x\",\"scopes\":{");
    for (int i = 0; body.length() < 65_000; i++) {
      body.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1e9999");
    }
    body.append("}}");
    try (AuditCapture audit = new AuditCapture()) {
      for (String auth : new String[] {null, "Bearer " + "x".repeat(7000), "Basic abc"}) {
        HttpResponse<String> r = auth == null
            ? http.post("/tokens", body.toString(), "Content-Type", "application/json")
            : http.post("/tokens", body.toString(), "Content-Type", "application/json",
                "Authorization", auth);
        assertThat(r.statusCode()).isEqualTo(401);
      }
      assertThat(audit.lines()).hasSize(3).allSatisfy(line -> {
        assertThat(line.length()).isLessThan(1024);
        assertThat(line).doesNotContain("1e9999").doesNotContain("xxxxxxxx");
      });
      assertThat(audit.parsed()).allSatisfy(n -> {
        for (String field : List.of("time", "source", "caller", "outcome", "reason")) {
          assertThat(n.get(field).isNull()).as(field).isFalse();
        }
      });
    }
  }

  // Input 5: the audit appender never dropped, so a slow log sink blocked every mint.
  @Test
  void input05_aStalledAuditSinkNeverBlocksAMintAndDropsAreCounted() throws Exception {
    startSharedSecret();
    Logger auditLogger = (Logger) LoggerFactory.getLogger(MintAudit.LOGGER_NAME);
    CountDownLatch release = new CountDownLatch(1);
    AppenderBase<ILoggingEvent> stalled = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    stalled.setContext(auditLogger.getLoggerContext());
    stalled.start();
    AuditAppender queue = new AuditAppender();
    queue.setContext(auditLogger.getLoggerContext());
    queue.setQueueSize(4);
    queue.setDiscardingThreshold(0);
    queue.setNeverBlock(true);
    queue.addAppender(stalled);
    queue.start();
    auditLogger.addAppender(queue);
    long droppedBefore = AuditAppender.dropped();
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < 40; i++) {
        assertThat(mint(i % 2 == 0 ? TOKEN : null).statusCode()).isIn(200, 401);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(AuditAppender.dropped() - droppedBefore).isGreaterThanOrEqualTo(30);
      String metrics = new Http(server.publicBaseUri()).get("/metrics").body();
      assertThat(metrics).containsPattern("macp_issuer_audit_dropped_total [1-9]");
    } finally {
      release.countDown();
      auditLogger.detachAppender(queue);
      queue.stop();
      stalled.stop();
    }
  }

  // Input 6: a token file removed while the policy file was invalid kept minting (200).
  @Test
  void input06_removingATokenFileRevokesItWhileThePolicyFileIsInvalid() throws Exception {
    startSharedSecret();
    assertThat(mint(TOKEN).statusCode()).isEqualTo(200);
    Files.writeString(tmp.resolve("policy.json"), "{ not json");
    Thread.sleep(1500);
    tokens.publish(Map.of("other", OTHER));
    awaitMintStatus(TOKEN, 401);
    assertThat(mint(OTHER).statusCode()).isEqualTo(200);
  }

  // Input 6: removing the whole token directory kept every token valid.
  @Test
  void input06_removingTheWholeTokenDirectoryRevokesEveryToken() throws Exception {
    startSharedSecret();
    assertThat(mint(TOKEN).statusCode()).isEqualTo(200);
    try (Stream<Path> all = Files.walk(tmp.resolve("tokens"))) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    awaitMintStatus(TOKEN, 401);
    assertThat(mint(OTHER).statusCode()).isEqualTo(401);

    // Restoring it restores the tokens: the policy itself never changed.
    tokens = new PolicyFiles(Files.createDirectories(tmp.resolve("tokens")));
    tokens.publish(Map.of("orchestrator", TOKEN));
    awaitMintStatus(TOKEN, 200);
  }

  // The same kind as input 1, on the file side: a huge token file is skipped unread.
  @Test
  void aHugeTokenFileIsSkippedAndTheOthersKeepWorking() throws Exception {
    startSharedSecret();
    tokens.publish(Map.of("orchestrator", TOKEN, "other", "A".repeat(20 * 1024 * 1024)));
    awaitMintStatus(OTHER, 401);
    assertThat(mint(TOKEN).statusCode()).isEqualTo(200);
    assertThat(new Http(server.publicBaseUri()).get("/metrics").body())
        .contains("macp_issuer_shared_secret_problems_total{problem=\"bad_token\"} 1.0");
  }

  // Input 9: a policy nested 2,000 deep stopped startup with a NullPointerException message.
  @Test
  void input09_aDeeplyNestedPolicyFailsStartupWithAClearMessage() throws Exception {
    Path policy = tmp.resolve("deep.json");
    Files.writeString(policy, "{\"authentication\":\"None\",\"x\":" + "[".repeat(2000)
        + "]".repeat(2000) + "}");
    assertThatThrownBy(() -> start(policy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mint policy is not valid JSON")
        .hasMessageContaining("nesting depth")
        .hasMessageNotContaining("NullPointer")
        .hasMessageNotContaining("getLineNr");
  }

  // Input 11: the TokenReview answer "authenticated":"true" (a string) was taken as true.
  @Test
  void input11_tokenReviewAnswersAreTakenOnlyAsTheJsonLiteralTrue() throws Exception {
    AtomicReference<String> authenticated = new AtomicReference<>();
    HttpServer stub =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext(TokenReviewClient.PATH, exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      byte[] body = ("{\"kind\":\"TokenReview\",\"status\":{\"authenticated\":"
          + authenticated.get() + ",\"user\":{\"username\":"
          + "\"system:serviceaccount:team-a:orchestrator\"},\"audiences\":"
          + "[\"https://issuer.macp.example\"]}}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(201, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    stub.start();
    try {
      Files.writeString(tmp.resolve("own-token"), "issuer-own-sa-token\n");
      Path policy = tmp.resolve("policy.json");
      Files.writeString(policy, """
          {"authentication": "ServiceAccount",
           "serviceAccount": {"apiServer": "http://127.0.0.1:%d", "tokenFile": "own-token",
                              "caFile": "", "audience": "https://issuer.macp.example"},
           "clients": [{"serviceAccount": "team-a/orchestrator", "senders": ["agent://team-a/*"]}]}
          """.formatted(stub.getAddress().getPort()));
      start(policy);
      // No cache between answers: each token is new, so each is reviewed.
      int n = 0;
      for (String answer : List.of("\"true\"", "1", "\"yes\"", "[true]", "{}", "null")) {
        authenticated.set(answer);
        assertThat(mint("eyJhbGciOiJSUzI1NiJ9.e30.c2ln" + n++).statusCode()).as(answer)
            .isEqualTo(401);
      }
      // The control: the literal true authenticates, so the stub is answering as meant.
      authenticated.set("true");
      assertThat(mint("eyJhbGciOiJSUzI1NiJ9.e30.c2ln" + n).statusCode()).isEqualTo(200);
    } finally {
      stub.stop(0);
    }
  }
}
