package io.macp.issuer.security.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macp.issuer.AuditCapture;
import io.macp.issuer.Http;
import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.TestKeys;
import io.macp.issuer.Tokens;
import io.macp.issuer.security.PolicyFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mint policy inside the real issuer, over HTTP on 127.0.0.1, configured only through the
 * environment ({@code MACP_AUTH_MINT_POLICY_FILE}, ...) and {@code IssuerServer.start(config,
 * clock)}: the path {@code IssuerMain} and the operator's embedded mode take.
 */
class PolicyMintGateHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "orch-token-0123456789abcdef";
  private static final String NEXT = "orch-token-NEXT-0123456789";
  private static final String WRONG = "not-the-token-123456";
  private static final String BODY = "{\"sender\":\"agent://team-a/x\",\"scopes\":"
      + "{\"can_start_sessions\":false},\"ttl_seconds\":3600}";
  private static final int BURST = 4;

  @TempDir Path tmp;
  PolicyFiles tokens;
  AuditCapture audit;
  AuditCapture startupLog;
  IssuerServer server;
  Http http;

  @BeforeEach
  void start(TestInfo test) throws Exception {
    // The rotation test polls with valid tokens; a small burst would turn its 200s into 429s.
    int burst = test.getDisplayName().startsWith("sharedSecretRotation") ? 1000 : BURST;
    tokens = new PolicyFiles(Files.createDirectories(tmp.resolve("tokens")));
    tokens.publish(Map.of("orchestrator", TOKEN));
    Path policy = tmp.resolve("policy.json");
    // requestsPerSecond 0.01: no refill while a test runs, so the burst is exact.
    Files.writeString(policy, """
        {"authentication": "SharedSecret", "sharedSecret": {"tokensDir": "tokens"},
         "clients": [{"sharedSecret": "orchestrator", "senders": ["agent://team-a/*"],
                      "maxTtl": "10m", "scopes": {"can_start_sessions": false},
                      "rateLimit": {"requestsPerSecond": 0.01, "burst": %d}}]}
        """.formatted(burst));
    audit = new AuditCapture();
    startupLog = new AuditCapture(IssuerServer.class.getName());
    server = IssuerServer.start(IssuerConfig.fromEnv(Map.of(
            "PORT", "0",
            "MACP_AUTH_BIND_ADDRESS", "127.0.0.1",
            "MACP_AUTH_SIGNING_KEY_JSON", TestKeys.rs256("k1").toJSONString(),
            "MACP_AUTH_MINT_POLICY_FILE", policy.toString(),
            "MACP_AUTH_SECURITY_POLL_INTERVAL", "1s")),
        Clock.systemUTC());
    http = new Http(server.baseUri());
  }

  @AfterEach
  void stop() {
    server.close();
    audit.close();
    startupLog.close();
  }

  private HttpResponse<String> mint(String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = "application/json";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return http.post("/tokens", body, all);
  }

  private HttpResponse<String> mintAs(String token, String body) {
    return mint(body, "Authorization", "Bearer " + token);
  }

  private static String sender(String s) {
    return BODY.replace("agent://team-a/x", s);
  }

  @Test
  void startupLineNamesTheModeAndThereIsNoOpenMintWarning() {
    assertThat(startupLog.lines()).anySatisfy(l -> assertThat(l)
        .startsWith("MACP issuer listening on 127.0.0.1:" + server.port() + " (http)")
        .contains("mint authentication=SharedSecret (policy " + tmp.resolve("policy.json"))
        .contains("TLS=off"));
    assertThat(startupLog.events()).noneMatch(e -> e.getLevel() == Level.WARN);
    assertThat(server.tlsEnabled()).isFalse();
  }

  @Test
  void boundCallerMintsWithinItsPatternWithTheTtlCeiling() throws Exception {
    HttpResponse<String> ok = mintAs(TOKEN, BODY);
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonNode answer = JSON.readTree(ok.body());
    assertThat(answer.path("expires_in_seconds").asLong()).isEqualTo(600);
    String jwt = answer.path("token").asText();
    var claims = Tokens.claims(jwt, http.get("/.well-known/jwks.json").body());
    assertThat(claims.getSubject()).isEqualTo("agent://team-a/x");
    assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
        .isEqualTo(600_000);

    JsonNode line = audit.last();
    assertThat(line.path("outcome").asText()).isEqualTo("issued");
    assertThat(line.path("caller").asText()).isEqualTo("secret:orchestrator");
    assertThat(line.path("source").asText()).isEqualTo("127.0.0.1");
    assertThat(line.path("sender").asText()).isEqualTo("agent://team-a/x");
    assertThat(line.path("ttl").asLong()).isEqualTo(600);
    assertThat(line.path("kid").asText()).isEqualTo("k1");
    assertThat(line.path("jti").asText()).isEqualTo(claims.getJWTID());
    assertThat(audit.lines()).allSatisfy(l ->
        assertThat(l).doesNotContain(TOKEN).doesNotContain(jwt).doesNotContainIgnoringCase("bearer"));
  }

  @Test
  void denialsAreGenericAndEachIsAuditedWithItsReasonButNoSecret() throws Exception {
    HttpResponse<String> none = mint(BODY);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).isEqualTo("{\"error\":\"unauthenticated\"}");

    HttpResponse<String> wrong = mintAs(WRONG, BODY);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).isEqualTo("{\"error\":\"unauthenticated\"}");

    // The rate limit comes before the sender and scope checks: each of these 403s costs a token.
    HttpResponse<String> outside = mintAs(TOKEN, sender("agent://team-b/x"));
    assertThat(outside.statusCode()).isEqualTo(403);
    assertThat(outside.body()).isEqualTo("{\"error\":\"forbidden\"}");
    HttpResponse<String> escape = mintAs(TOKEN, sender("agent://team-a/../team-b/x"));
    assertThat(escape.statusCode()).isEqualTo(403);
    assertThat(escape.body()).isEqualTo("{\"error\":\"forbidden\"}");
    HttpResponse<String> scope = mintAs(TOKEN, BODY.replace("\"can_start_sessions\":false", ""));
    assertThat(scope.statusCode()).isEqualTo(403);
    assertThat(scope.body()).isEqualTo("{\"error\":\"forbidden\"}");

    assertThat(mintAs(TOKEN, BODY).statusCode()).isEqualTo(200); // the burst's last token
    HttpResponse<String> limited = mintAs(TOKEN, BODY);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).isEqualTo("{\"error\":\"rate limited\"}");
    // 1 token per 100 s: the wait is whole seconds and well over 1
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(2L, 100L);

    List<JsonNode> lines = audit.parsed();
    assertThat(lines).extracting(l -> l.path("outcome").asText()).containsExactly(
        "unauthenticated", "unauthenticated", "forbidden", "forbidden", "forbidden", "issued",
        "rate_limited");
    assertThat(lines).extracting(l -> l.path("reason").asText()).containsExactly(
        "missing_credentials", "invalid_credentials", "sender_not_allowed", "sender_not_allowed",
        "scope_exceeds_ceiling:can_start_sessions", "null", "rate_limited");
    assertThat(lines).extracting(l -> l.path("caller").asText()).containsExactly(
        "anonymous", "anonymous", "secret:orchestrator", "secret:orchestrator",
        "secret:orchestrator", "secret:orchestrator", "secret:orchestrator");
    assertThat(lines).allSatisfy(l -> {
      assertThat(l.path("time").asText()).isNotEmpty();
      assertThat(l.path("source").asText()).isEqualTo("127.0.0.1");
      assertThat(l.has("sender") && l.has("scopes") && l.has("ttl") && l.has("kid")
          && l.has("jti")).isTrue();
    });
    assertThat(lines.get(2).path("sender").asText()).isEqualTo("agent://team-b/x");
    assertThat(audit.lines()).allSatisfy(l -> assertThat(l)
        .doesNotContain(TOKEN).doesNotContain(WRONG).doesNotContainIgnoringCase("bearer"));

    assertThat(http.get("/metrics").body())
        .contains("macp_issuer_mint_denials_total{reason=\"sender_not_allowed\"} 2.0")
        .contains("macp_issuer_mint_denials_total{reason=\"rate_limited\"} 1.0")
        .contains("macp_issuer_auth_failures_total{mode=\"SharedSecret\"} 2.0")
        .contains("macp_issuer_mints_total{outcome=\"forbidden\"} 3.0");
  }

  @Test
  void contractValidationErrorsComeFirstUnchangedAndCostNoRateLimit() {
    // Issue 10 moved authentication onto the headers, before the body is read: without valid
    // credentials the answer is 401 whatever the body. With them, the contract's own 400s come
    // before the binding, the sender and the rate limit, unchanged (issue 5).
    for (String auth : new String[] {null, "Bearer " + WRONG}) {
      String[] h = auth == null ? new String[0] : new String[] {"Authorization", auth};
      for (String body : List.of("{\"scopes\":{}}", "{\"sender\":",
          "{\"sender\":\"agent://team-a/x\",\"scopes\":[]}")) {
        HttpResponse<String> r = mint(body, h);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"error\":\"unauthenticated\"}");
      }
    }
    audit.clear();
    for (String auth : new String[] {"Bearer " + TOKEN}) {
      String[] h = new String[] {"Authorization", auth};
      HttpResponse<String> noSender = mint("{\"scopes\":{}}", h);
      assertThat(noSender.statusCode()).isEqualTo(400);
      assertThat(noSender.body()).isEqualTo("{\"error\":\"sender is required\"}");
      HttpResponse<String> badJson = mint("{\"sender\":", h);
      assertThat(badJson.body()).isEqualTo("{\"error\":\"invalid JSON body\"}");
      HttpResponse<String> badScopes = mint("{\"sender\":\"agent://team-a/x\",\"scopes\":[]}", h);
      assertThat(badScopes.body()).isEqualTo("{\"error\":\"scopes must be an object\"}");
      HttpResponse<String> badTtl = mint("{\"sender\":\"agent://team-a/x\",\"ttl_seconds\":0}", h);
      assertThat(badTtl.body()).isEqualTo("{\"error\":\"ttl_seconds must be a positive number\"}");
    }
    assertThat(audit.parsed()).hasSize(4).allSatisfy(l -> {
      assertThat(l.path("outcome").asText()).isEqualTo("invalid");
      // Admitted on the headers before the body was judged: the audit names who sent it.
      assertThat(l.path("caller").asText()).isEqualTo("secret:orchestrator");
    });
    // None of the invalid ones reached the rate limit: the whole burst is still there.
    for (int i = 0; i < BURST; i++) {
      assertThat(mintAs(TOKEN, BODY).statusCode()).isEqualTo(200);
    }
    assertThat(mintAs(TOKEN, BODY).statusCode()).isEqualTo(429);

    HttpResponse<String> twice = http.send(http.request("/tokens",
            "Content-Type", "application/json",
            "Authorization", "Bearer " + TOKEN, "Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build());
    assertThat(twice.statusCode()).isEqualTo(401);
    assertThat(audit.last().path("reason").asText()).isEqualTo("malformed_credentials");
  }

  @Test
  void sharedSecretRotationWithoutRestart() throws Exception {
    assertThat(mintAs(NEXT, BODY).statusCode()).isEqualTo(401);
    tokens.publish(Map.of("orchestrator", TOKEN, "orchestrator.next", NEXT));
    assertThat(waitForStatus(NEXT, 200)).isEqualTo(200);
    assertThat(mintAs(TOKEN, BODY).statusCode()).isEqualTo(200);
    assertThat(audit.last().path("caller").asText()).isEqualTo("secret:orchestrator");

    tokens.publish(Map.of("orchestrator.next", NEXT));
    assertThat(waitForStatus(TOKEN, 401)).isEqualTo(401);
    assertThat(mintAs(NEXT, BODY).statusCode()).isEqualTo(200);

    // A broken entry (a token too short to be safe) is skipped and counted; the others load.
    tokens.publish(Map.of("orchestrator.next", NEXT, "orchestrator.bad", "short"));
    assertThat(waitForMetric(
        "macp_issuer_shared_secret_problems_total{problem=\"bad_token\"} 1.0")).isTrue();
    assertThat(mintAs(NEXT, BODY).statusCode()).isEqualTo(200);
    assertThat(mintAs("short", BODY).statusCode()).isEqualTo(401);
    assertThat(audit.lines()).allSatisfy(l ->
        assertThat(l).doesNotContain(TOKEN).doesNotContain(NEXT));
  }

  private int waitForStatus(String token, int wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int status;
    do {
      status = mintAs(token, BODY).statusCode();
      if (status == wanted) {
        return status;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return status;
  }

  private boolean waitForMetric(String sample) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    do {
      if (http.get("/metrics").body().contains(sample)) {
        return true;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return false;
  }

  @Test
  void fuzzedAuthorizationHeadersNeverGetA5xx() throws Exception {
    Random random = new Random(5);
    for (int i = 0; i < 300; i++) {
      String value = switch (i % 6) {
        case 0 -> "Bearer " + printable(random, random.nextInt(80));
        case 1 -> printable(random, random.nextInt(80));
        case 2 -> "Bearer" + " ".repeat(1 + random.nextInt(4)) + printable(random, 20);
        case 3 -> "Bearer " + "A".repeat(1 + random.nextInt(12_000));
        case 4 -> "bEaReR " + TOKEN + printable(random, 1 + random.nextInt(3));
        default -> "Bearer " + "=".repeat(random.nextInt(4)) + "." + random.nextLong();
      };
      if (value.isBlank()) {
        continue;
      }
      HttpResponse<String> r = mint(BODY, "Authorization", value.strip());
      assertThat(r.statusCode()).as("Authorization: %s", value).isLessThan(500).isNotEqualTo(200);
    }
    // Bytes an HTTP client library refuses to send, written on a raw socket.
    List<String> raw = new ArrayList<>(List.of(
        "Authorization: Bearer \u0001\u0002" + TOKEN,
        "Authorization: Bearer " + TOKEN + "\u0000",
        "Authorization: Bearer\t" + TOKEN,
        "Authorization: Bearer t\u00e9k\u00e9n-0123456789abcdef",
        "Authorization: Bearer " + TOKEN.replace('o', '\u043e'),
        "Authorization:",
        "Authorization: Bearer abc\r\n " + TOKEN,
        "authorization: Bearer " + TOKEN + "\r\nAUTHORIZATION: Bearer " + TOKEN,
        "Authorization: Bearer " + "B".repeat(20_000),
        "Authorization: " + "\u00ff".repeat(100),
        "Authorization : Bearer " + TOKEN));
    for (int i = 0; i < 50; i++) {
      raw.add("Authorization: Bearer " + anyByte(random, 1 + random.nextInt(60)));
    }
    for (String header : raw) {
      int status = rawMint(header);
      assertThat(status).as("header %s", header.length() > 60 ? header.substring(0, 60) : header)
          .isBetween(400, 499);
    }
    assertThat(audit.lines()).noneMatch(l -> l.contains(TOKEN));
    assertThat(http.get("/metrics").body()).contains("macp_issuer_mints_total{outcome=\"error\"} 0.0");
  }

  /** Sends one mint with a raw header line (ISO-8859-1 bytes); returns the answer's status. */
  private int rawMint(String headerLine) throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    String head = "POST /tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n" + headerLine + "\r\n\r\n";
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      String status = new BufferedReader(new InputStreamReader(s.getInputStream(),
          StandardCharsets.ISO_8859_1)).readLine();
      assertThat(status).as("status line").isNotNull().startsWith("HTTP/1.1 ");
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  private static String printable(Random r, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) (0x21 + r.nextInt(0x7e - 0x21)));
    }
    return b.toString();
  }

  /** Any byte but CR and LF, which would end the header line. */
  private static String anyByte(Random r, int n) {
    StringBuilder b = new StringBuilder(n);
    while (b.length() < n) {
      char c = (char) r.nextInt(256);
      if (c != '\r' && c != '\n') {
        b.append(c);
      }
    }
    return b.toString();
  }
}
