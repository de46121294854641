package io.macp.issuer.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macp.issuer.AuditCapture;
import io.macp.issuer.Http;
import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.PushKeySetSource;
import io.macp.issuer.TestKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The policy gate inside the real issuer, over HTTP on 127.0.0.1. */
class PolicyMintGateHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "orch-token-0123456789abcdef";
  private static final String NEXT = "orch-token-NEXT-0123456789";
  private static final String BODY = "{\"sender\":\"agent://team-a/x\",\"scopes\":"
      + "{\"can_start_sessions\":false},\"ttl_seconds\":3600}";

  @TempDir Path tmp;
  PolicyFiles tokens;
  AuditCapture audit;
  IssuerServer server;
  Http http;

  @BeforeEach
  void start(TestInfo test) throws Exception {
    // The rotation test polls with valid tokens; a small burst would turn its 200s into 429s.
    int burst = test.getDisplayName().startsWith("tokenRotation") ? 1000 : 4;
    tokens = new PolicyFiles(Files.createDirectories(tmp.resolve("tokens")));
    tokens.publish(Map.of("orchestrator", TOKEN));
    Path policy = tmp.resolve("policy.json");
    Files.writeString(policy, """
        {"authentication": "SharedSecret", "sharedSecret": {"tokensDir": "tokens"},
         "clients": [{"sharedSecret": "orchestrator", "senders": ["agent://team-a/*"],
                      "maxTtl": "10m", "scopes": {"can_start_sessions": false},
                      "rateLimit": {"requestsPerSecond": 0.01, "burst": %d}}]}
        """.formatted(burst));
    audit = new AuditCapture();
    server = IssuerServer.start(
        IssuerConfig.fromEnv(Map.of("PORT", "0", "MACP_AUTH_BIND_ADDRESS", "127.0.0.1")),
        Clock.systemUTC(), new PushKeySetSource(TestKeys.single(TestKeys.rs256("k1"))),
        PolicyMintGate.factory(policy, Duration.ofMillis(100), Clock.systemUTC()));
    http = new Http(server.baseUri());
  }

  @AfterEach
  void stop() {
    server.close();
    audit.close();
  }

  private HttpResponse<String> mint(String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = "application/json";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return http.post("/tokens", body, all);
  }

  @Test
  void boundCallerMintsWithTheTtlCeilingAndTheAuditLineHoldsNoToken() throws Exception {
    HttpResponse<String> ok = mint(BODY, "Authorization", "Bearer " + TOKEN);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).path("expires_in_seconds").asLong()).isEqualTo(600);
    JsonNode line = audit.last();
    assertThat(line.path("caller").asText()).isEqualTo("secret:orchestrator");
    assertThat(line.path("outcome").asText()).isEqualTo("issued");
    String jwt = JSON.readTree(ok.body()).path("token").asText();
    assertThat(audit.lines()).allSatisfy(l ->
        assertThat(l).doesNotContain(TOKEN).doesNotContain(jwt));
  }

  @Test
  void denialsAreGenericAndTheReasonIsOnlyAudited() throws Exception {
    HttpResponse<String> none = mint(BODY);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).isEqualTo("{\"error\":\"unauthenticated\"}");
    assertThat(audit.last().path("reason").asText()).isEqualTo("missing_credentials");

    HttpResponse<String> wrong = mint(BODY, "Authorization", "Bearer not-the-token-123456");
    assertThat(wrong.body()).isEqualTo("{\"error\":\"unauthenticated\"}");

    HttpResponse<String> sender = mint(BODY.replace("team-a", "team-b"),
        "Authorization", "Bearer " + TOKEN);
    assertThat(sender.statusCode()).isEqualTo(403);
    assertThat(sender.body()).isEqualTo("{\"error\":\"forbidden\"}");
    assertThat(audit.last().path("reason").asText()).isEqualTo("sender_not_allowed");

    HttpResponse<String> scope = mint(BODY.replace("\"can_start_sessions\":false", ""),
        "Authorization", "Bearer " + TOKEN);
    assertThat(scope.body()).isEqualTo("{\"error\":\"forbidden\"}");
    assertThat(audit.last().path("reason").asText())
        .isEqualTo("scope_exceeds_ceiling:can_start_sessions");

    for (int i = 0; i < 3; i++) {
      mint(BODY, "Authorization", "Bearer " + TOKEN);
    }
    HttpResponse<String> limited = mint(BODY, "Authorization", "Bearer " + TOKEN);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).isEqualTo("{\"error\":\"rate limited\"}");
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
        .isGreaterThanOrEqualTo(1);
    assertThat(audit.lines()).noneMatch(l -> l.contains(TOKEN) || l.contains("not-the-token"));
    assertThat(http.get("/metrics").body())
        .contains("macp_issuer_mint_denials_total{reason=\"sender_not_allowed\"} 1.0")
        .contains("macp_issuer_auth_failures_total{mode=\"SharedSecret\"} 2.0");
  }

  @Test
  void contractErrorsComeFirstAndTwoAuthorizationHeadersAreRefused() {
    HttpResponse<String> invalid = mint("{\"sender\":\"\"}");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.body()).isEqualTo("{\"error\":\"sender is required\"}");
    HttpResponse<String> twice = http.send(http.request("/tokens",
            "Content-Type", "application/json",
            "Authorization", "Bearer " + TOKEN, "Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build());
    assertThat(twice.statusCode()).isEqualTo(401);
  }

  @Test
  void tokenRotationIsPickedUpByThePollerWithoutRestart() throws Exception {
    tokens.publish(Map.of("orchestrator", TOKEN, "orchestrator.next", NEXT));
    assertThat(waitForStatus(NEXT, 200)).isEqualTo(200);
    assertThat(mint(BODY, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    tokens.publish(Map.of("orchestrator.next", NEXT));
    assertThat(waitForStatus(TOKEN, 401)).isEqualTo(401);
    assertThat(mint(BODY, "Authorization", "Bearer " + NEXT).statusCode()).isEqualTo(200);
  }

  private int waitForStatus(String token, int wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int status;
    do {
      status = mint("{\"sender\":\"agent://team-a/x\",\"scopes\":{\"can_start_sessions\":false}}",
          "Authorization", "Bearer " + token).statusCode();
      if (status == wanted) {
        return status;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return status;
  }

  @Test
  void fuzzedAuthorizationHeadersNeverGetA5xx() {
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
  }

  private static String printable(Random r, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) (0x21 + r.nextInt(0x7e - 0x21)));
    }
    return b.toString();
  }
}
