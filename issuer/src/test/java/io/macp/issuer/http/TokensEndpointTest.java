package io.macp.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.macp.issuer.AuditCapture;
import io.macp.issuer.Http;
import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.PushKeySetSource;
import io.macp.issuer.SettableClock;
import io.macp.issuer.TestKeys;
import io.macp.issuer.Tokens;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** POST /tokens over real HTTP: every line of the contract, the gate, audit and metrics. */
class TokensEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final String EXAMPLE = "{\"sender\":\"agent://risk\",\"scopes\":{"
      + "\"can_start_sessions\":true,\"is_observer\":false,"
      + "\"allowed_modes\":[\"macp.mode.decision.v1\"],\"max_open_sessions\":1,"
      + "\"can_manage_mode_registry\":false,\"x_future_flag\":{\"k\":[1,\"two\"]}},"
      + "\"ttl_seconds\":3600}";

  private final SettableClock clock = new SettableClock(NOW);
  private final AtomicReference<MintGate> gate = new AtomicReference<>(MintGate.allowAll());
  private AuditCapture audit;
  private IssuerServer server;
  private Http http;

  @BeforeEach
  void start() {
    audit = new AuditCapture();
    server = start(Map.of(), TestKeys.single(TestKeys.rs256("rsa-kid")));
  }

  private IssuerServer start(Map<String, String> env, KeySet keys) {
    Map<String, String> all = new HashMap<>(env);
    all.put("PORT", "0");
    all.put("MACP_AUTH_BIND_ADDRESS", "127.0.0.1");
    IssuerServer s = IssuerServer.start(IssuerConfig.fromEnv(all), clock,
        new PushKeySetSource(keys), registry -> (ctx, request) -> gate.get().decide(ctx, request));
    http = new Http(s.baseUri());
    return s;
  }

  private void restart(Map<String, String> env, KeySet keys) {
    server.close();
    server = start(env, keys);
  }

  @AfterEach
  void stop() {
    server.close();
    audit.close();
  }

  private JsonNode body(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private String jwks() {
    return http.get("/.well-known/jwks.json").body();
  }

  @Test
  void successAnswersTokenSenderAndExpiryAndTheTokenVerifiesAgainstTheServedJwks()
      throws Exception {
    HttpResponse<String> r = http.postJson("/tokens", EXAMPLE);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    assertThat(r.headers().firstValue("cache-control")).contains("no-store");
    JsonNode answer = body(r);
    List<String> fields = new java.util.ArrayList<>();
    answer.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("token", "sender", "expires_in_seconds");
    assertThat(answer.get("sender").asText()).isEqualTo("agent://risk");
    assertThat(answer.get("expires_in_seconds").isIntegralNumber()).isTrue();
    assertThat(answer.get("expires_in_seconds").asLong()).isEqualTo(3600);

    SignedJWT jwt = Tokens.verify(answer.get("token").asText(), jwks());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo("rsa-kid");
    JWTClaimsSet c = jwt.getJWTClaimsSet();
    assertThat(c.getIssuer()).isEqualTo("macp-auth-service");
    assertThat(jwt.getPayload().toJSONObject().get("aud")).isEqualTo("macp-runtime");
    assertThat(c.getSubject()).isEqualTo("agent://risk");
    assertThat(c.getIssueTime().toInstant()).isEqualTo(NOW);
    assertThat(c.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(c.getJWTID()).matches("[0-9a-f-]{36}");
    JsonNode scopes = JSON.readTree(JSON.writeValueAsString(c.getClaim("macp_scopes")));
    assertThat(scopes).isEqualTo(JSON.readTree(EXAMPLE).get("scopes"));
  }

  @Test
  void es256KeysSignEs256Tokens() throws Exception {
    restart(Map.of("MACP_AUTH_SIGNING_ALG", "ES256"), TestKeys.single(TestKeys.es256("ec-kid")));
    HttpResponse<String> r = http.postJson("/tokens", "{\"sender\":\"agent://a\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    SignedJWT jwt = Tokens.verify(body(r).get("token").asText(), jwks());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo("ec-kid");
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("agent://a");
  }

  @Test
  void configuredIssuerAndAudienceAreTheClaims() throws Exception {
    restart(Map.of("MACP_AUTH_ISSUER", "https://auth.example/macp",
        "MACP_AUTH_AUDIENCE", "runtime-b"), TestKeys.single(TestKeys.es256("k")));
    HttpResponse<String> r = http.postJson("/tokens", "{\"sender\":\"agent://a\"}");
    SignedJWT jwt = Tokens.verify(body(r).get("token").asText(), jwks());
    assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("https://auth.example/macp");
    assertThat(jwt.getPayload().toJSONObject().get("aud")).isEqualTo("runtime-b");
  }

  @ParameterizedTest(name = "ttl_seconds {0} -> {1}")
  @CsvSource({
    "ABSENT, 300", "null, 300", "1, 1", "60, 60", "3600, 3600", "3601, 3600",
    "86400, 3600", "1e400, 3600", "1.5, 2", "0.001, 1"})
  void ttlIsDefaultedClampedAndRoundedUp(String ttl, long expected) throws Exception {
    String req = ttl.equals("ABSENT")
        ? "{\"sender\":\"agent://a\"}"
        : "{\"sender\":\"agent://a\",\"ttl_seconds\":" + ttl + "}";
    HttpResponse<String> r = http.postJson("/tokens", req);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(body(r).get("expires_in_seconds").asLong()).isEqualTo(expected);
    JWTClaimsSet c = Tokens.claims(body(r).get("token").asText(), jwks());
    assertThat(c.getExpirationTime().getTime() / 1000 - c.getIssueTime().getTime() / 1000)
        .isEqualTo(expected);
  }

  @Test
  void configuredDefaultAndMaximumTtlApply() throws Exception {
    restart(Map.of("MACP_AUTH_MAX_TTL_SECONDS", "600", "MACP_AUTH_DEFAULT_TTL_SECONDS", "42"),
        TestKeys.single(TestKeys.es256("k")));
    assertThat(body(http.postJson("/tokens", "{\"sender\":\"a\"}"))
        .get("expires_in_seconds").asLong()).isEqualTo(42);
    assertThat(body(http.postJson("/tokens", "{\"sender\":\"a\",\"ttl_seconds\":601}"))
        .get("expires_in_seconds").asLong()).isEqualTo(600);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "{|{\"error\":\"invalid JSON body\"}",
    "{\"sender\":\"a\"} trailing|{\"error\":\"invalid JSON body\"}",
    "\"just a string\"|{\"error\":\"invalid JSON body\"}",
    "{}|{\"error\":\"sender is required\"}",
    "[]|{\"error\":\"sender is required\"}",
    "{\"sender\":42}|{\"error\":\"sender is required\"}",
    "{\"sender\":null}|{\"error\":\"sender is required\"}",
    "{\"sender\":\"  \"}|{\"error\":\"sender is required\"}",
    "{\"sender\":\"a\",\"scopes\":null}|{\"error\":\"scopes must be an object\"}",
    "{\"sender\":\"a\",\"scopes\":\"all\"}|{\"error\":\"scopes must be an object\"}",
    "{\"sender\":\"a\",\"scopes\":[]}|{\"error\":\"scopes must be an object\"}",
    "{\"sender\":\"a\",\"ttl_seconds\":0}|{\"error\":\"ttl_seconds must be a positive number\"}",
    "{\"sender\":\"a\",\"ttl_seconds\":-5}|{\"error\":\"ttl_seconds must be a positive number\"}",
    "{\"sender\":\"a\",\"ttl_seconds\":\"\"}|{\"error\":\"ttl_seconds must be a positive number\"}",
    "{\"sender\":\"a\",\"ttl_seconds\":true}|{\"error\":\"ttl_seconds must be a positive number\"}",
  })
  void contractErrorsHaveExactStatusAndBody(String request, String expected) {
    HttpResponse<String> r = http.postJson("/tokens", request);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo(expected);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
    assertThat(audit.last().get("outcome").asText()).isEqualTo("invalid");
    assertThat(audit.last().get("reason").asText())
        .isEqualTo(expected.substring(10, expected.length() - 2));
  }

  @Test
  void bodyWithoutJsonContentTypeIsNotParsedSoSenderIsRequired() {
    String good = "{\"sender\":\"agent://a\"}";
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded",
        "application/json-patch+json", "application/jsonx")) {
      HttpResponse<String> r = http.post("/tokens", good, "Content-Type", type);
      assertThat(r.statusCode()).as(type).isEqualTo(400);
      assertThat(r.body()).as(type).isEqualTo("{\"error\":\"sender is required\"}");
    }
    HttpResponse<String> none = http.send(http.request("/tokens")
        .POST(HttpRequest.BodyPublishers.ofString(good)).build());
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body()).isEqualTo("{\"error\":\"sender is required\"}");
    HttpResponse<String> empty = http.method("POST", "/tokens", null,
        "Content-Type", "application/json");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).isEqualTo("{\"error\":\"sender is required\"}");
  }

  @Test
  void jsonContentTypeWithParametersOrOtherCaseIsParsed() {
    for (String type : List.of("application/json; charset=utf-8", "Application/JSON",
        "application/json;charset=UTF-8")) {
      HttpResponse<String> r = http.post("/tokens", "{\"sender\":\"a\"}", "Content-Type", type);
      assertThat(r.statusCode()).as(type).isEqualTo(200);
    }
  }

  @Test
  void bodiesOverTheLimitAre413WhetherDeclaredOrChunked() {
    String big = "{\"sender\":\"a\",\"pad\":\"" + "x".repeat(RequestBodies.MAX_BYTES) + "\"}";
    HttpResponse<String> declared = http.postJson("/tokens", big);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body()).isEqualTo("{\"error\":\"request body too large\"}");

    // No Content-Length: HttpClient sends a stream of unknown length chunked.
    HttpResponse<String> chunked = http.send(http.request("/tokens",
            "Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(big.getBytes())))
        .build());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.body()).isEqualTo("{\"error\":\"request body too large\"}");
    assertThat(audit.last().get("outcome").asText()).isEqualTo("too_large");

    // Non-JSON bodies are not read, but a declared size over the limit is still refused.
    HttpResponse<String> text = http.post("/tokens", big, "Content-Type", "text/plain");
    assertThat(text.statusCode()).isEqualTo(413);
  }

  @Test
  void aBodyOfExactlyTheLimitIsAccepted() {
    String head = "{\"sender\":\"agent://a\"}";
    String body = head + " ".repeat(RequestBodies.MAX_BYTES - head.length());
    assertThat(body).hasSize(RequestBodies.MAX_BYTES);
    assertThat(http.postJson("/tokens", body).statusCode()).isEqualTo(200);
    HttpResponse<String> chunked = http.send(http.request("/tokens",
            "Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(body.getBytes())))
        .build());
    assertThat(chunked.statusCode()).isEqualTo(200);
  }

  @Test
  void gateSeesTheValidatedRequestAndItsAllowCanLowerTheTtl() throws Exception {
    AtomicReference<MintRequest> seen = new AtomicReference<>();
    gate.set((ctx, request) -> {
      seen.set(request);
      return MintDecision.allow("sa:team-a/minter", 120);
    });
    HttpResponse<String> r = http.postJson("/tokens", EXAMPLE);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(body(r).get("expires_in_seconds").asLong()).isEqualTo(120);
    JWTClaimsSet c = Tokens.claims(body(r).get("token").asText(), jwks());
    assertThat(c.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(120));
    assertThat(seen.get().sender()).isEqualTo("agent://risk");
    assertThat(seen.get().ttlSeconds()).isEqualTo(3600);
    assertThat(seen.get().scopes()).containsKeys("can_start_sessions", "x_future_flag");
    JsonNode line = audit.last();
    assertThat(line.get("caller").asText()).isEqualTo("sa:team-a/minter");
    assertThat(line.get("ttl").asLong()).isEqualTo(120);
  }

  @Test
  void gateCeilingAboveTheAskedTtlChangesNothing() throws Exception {
    gate.set((ctx, request) -> MintDecision.allow("c", 3000));
    HttpResponse<String> r = http.postJson("/tokens", "{\"sender\":\"a\",\"ttl_seconds\":60}");
    assertThat(body(r).get("expires_in_seconds").asLong()).isEqualTo(60);
  }

  @Test
  void gateIsNotAskedAboutInvalidRequests() {
    gate.set((ctx, request) -> {
      throw new AssertionError("gate asked about an invalid request");
    });
    assertThat(http.postJson("/tokens", "{\"sender\":\"\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void denialsAnswerGenericBodiesAndTheReasonOnlyGoesToTheAuditLine() throws Exception {
    gate.set((ctx, request) -> MintDecision.unauthenticated("bad bearer token"));
    HttpResponse<String> r401 = http.post("/tokens", "{\"sender\":\"a\"}",
        "Content-Type", "application/json", "Authorization", "Bearer s3cr3t-value");
    assertThat(r401.statusCode()).isEqualTo(401);
    assertThat(r401.body()).isEqualTo("{\"error\":\"unauthenticated\"}");
    JsonNode line = audit.last();
    assertThat(line.get("outcome").asText()).isEqualTo("unauthenticated");
    assertThat(line.get("reason").asText()).isEqualTo("bad bearer token");
    assertThat(line.get("caller").asText()).isEqualTo("anonymous");
    assertThat(line.get("sender").asText()).isEqualTo("a");
    assertThat(line.has("token")).isFalse();
    assertThat(String.join("\n", audit.lines())).doesNotContain("s3cr3t-value");

    gate.set((ctx, request) -> MintDecision.forbidden("secret:ci", "sender not bound"));
    HttpResponse<String> r403 = http.postJson("/tokens", "{\"sender\":\"a\"}");
    assertThat(r403.statusCode()).isEqualTo(403);
    assertThat(r403.body()).isEqualTo("{\"error\":\"forbidden\"}");
    assertThat(audit.last().get("caller").asText()).isEqualTo("secret:ci");

    gate.set((ctx, request) -> MintDecision.rateLimited("secret:ci", "bucket empty", 7));
    HttpResponse<String> r429 = http.postJson("/tokens", "{\"sender\":\"a\"}");
    assertThat(r429.statusCode()).isEqualTo(429);
    assertThat(r429.body()).isEqualTo("{\"error\":\"rate limited\"}");
    assertThat(r429.headers().firstValue("retry-after")).contains("7");
    assertThat(audit.last().get("outcome").asText()).isEqualTo("rate_limited");
  }

  @Test
  void aFailingGateFailsClosedWithAGenericError() {
    gate.set((ctx, request) -> {
      throw new IllegalStateException("policy store exploded");
    });
    HttpResponse<String> r = http.postJson("/tokens", "{\"sender\":\"a\"}");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("{\"error\":\"internal error\"}");
    assertThat(audit.last().get("outcome").asText()).isEqualTo("error");
  }

  @Test
  void issuedAuditLineNamesKidAndJtiButNeverTheToken() throws Exception {
    HttpResponse<String> r = http.post("/tokens", EXAMPLE, "Content-Type", "application/json",
        "Authorization", "Bearer caller-secret");
    String token = body(r).get("token").asText();
    assertThat(audit.lines()).hasSize(1);
    JsonNode line = audit.last();
    assertThat(line.get("outcome").asText()).isEqualTo("issued");
    assertThat(line.get("caller").asText()).isEqualTo("anonymous");
    assertThat(line.get("source").asText()).isEqualTo("127.0.0.1");
    assertThat(line.get("sender").asText()).isEqualTo("agent://risk");
    assertThat(line.get("scopes")).isEqualTo(JSON.readTree(EXAMPLE).get("scopes"));
    assertThat(line.get("ttl").asLong()).isEqualTo(3600);
    assertThat(line.get("kid").asText()).isEqualTo("rsa-kid");
    assertThat(line.get("jti").asText())
        .isEqualTo(Tokens.claims(token, jwks()).getJWTID());
    assertThat(Instant.parse(line.get("time").asText())).isEqualTo(NOW);
    String all = String.join("\n", audit.lines());
    assertThat(all).doesNotContain(token).doesNotContain(token.split("\\.")[2])
        .doesNotContain("caller-secret");
  }

  @Test
  void aSenderCannotForgeAuditLines() throws Exception {
    String sender = "a\"}\n{\"outcome\":\"issued\",\"sender\":\"admin";
    HttpResponse<String> r = http.postJson("/tokens",
        JSON.writeValueAsString(Map.of("sender", sender)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(audit.lines()).hasSize(1);
    assertThat(audit.lines().get(0)).doesNotContain("\n");
    assertThat(audit.last().get("sender").asText()).isEqualTo(sender);
  }

  @Test
  void noKeyMaySignYetAnswers503() {
    KeySet future = new KeySet(List.of(ManagedKey.created(TestKeys.es256("later"), NOW,
        NOW.plus(Duration.ofMinutes(10)))));
    restart(Map.of(), future);
    HttpResponse<String> r = http.postJson("/tokens", "{\"sender\":\"a\"}");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("{\"error\":\"no signing key available\"}");
    assertThat(audit.last().get("outcome").asText()).isEqualTo("unavailable");
    clock.advance(Duration.ofMinutes(10));
    assertThat(http.postJson("/tokens", "{\"sender\":\"a\"}").statusCode()).isEqualTo(200);
  }

  @Test
  void mintsAreCountedByOutcomeAndTimed() {
    http.postJson("/tokens", "{\"sender\":\"a\"}");
    http.postJson("/tokens", "{\"sender\":\"a\"}");
    http.postJson("/tokens", "{}");
    gate.set((ctx, request) -> MintDecision.forbidden("c", "no"));
    http.postJson("/tokens", "{\"sender\":\"a\"}");
    String metrics = http.get("/metrics").body();
    assertThat(metrics).contains("macp_issuer_mints_total{outcome=\"issued\"} 2.0");
    assertThat(metrics).contains("macp_issuer_mints_total{outcome=\"invalid\"} 1.0");
    assertThat(metrics).contains("macp_issuer_mints_total{outcome=\"forbidden\"} 1.0");
    assertThat(metrics).contains("macp_issuer_mints_total{outcome=\"rate_limited\"} 0.0");
    assertThat(metrics).contains("macp_issuer_mint_duration_seconds_count{outcome=\"issued\"} 2");
    assertThat(metrics).contains("macp_issuer_mint_duration_seconds_count{outcome=\"invalid\"} 1");
    assertThat(metrics).contains("macp_issuer_mint_duration_seconds_count{outcome=\"forbidden\"} 1");
    assertThat(metrics).contains("macp_issuer_mint_duration_seconds_bucket{outcome=\"issued\",le=");
  }
}
