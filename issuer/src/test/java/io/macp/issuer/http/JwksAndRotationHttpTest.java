package io.macp.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.macp.issuer.Http;
import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.PushKeySetSource;
import io.macp.issuer.SettableClock;
import io.macp.issuer.TestKeys;
import io.macp.issuer.Tokens;
import io.macp.keyset.IssuerSettings;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** JWKS, readiness and signer switching over real HTTP, with a clock the test moves. */
class JwksAndRotationHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private final SettableClock clock = new SettableClock(T0);
  private final JWK a = TestKeys.es256("key-a");
  private final JWK b = TestKeys.es256("key-b");
  private final JWK old = TestKeys.es256("key-old");
  private PushKeySetSource source;
  private IssuerServer server;
  private Http http;

  /**
   * old retired at T0 and leaves the JWKS at T0+1h; a signs from T0; b is published and signs
   * from T0+2h.
   */
  private KeySet timeline() {
    return new KeySet(List.of(
        new ManagedKey(old, T0.minus(HOUR.multipliedBy(30)), T0.minus(HOUR.multipliedBy(26)),
            T0, T0.plus(HOUR), null),
        new ManagedKey(a, T0.minus(HOUR.multipliedBy(26)), T0, null, null, null),
        ManagedKey.created(b, T0, T0.plus(HOUR.multipliedBy(2)))));
  }

  private void start(KeySet keys, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("PORT", "0");
    all.put("MACP_AUTH_BIND_ADDRESS", "127.0.0.1");
    source = new PushKeySetSource(keys);
    server = IssuerServer.start(IssuerConfig.fromEnv(all), clock, source);
    http = new Http(server.baseUri());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private List<String> jwksKids() throws Exception {
    HttpResponse<String> r = http.get("/.well-known/jwks.json");
    assertThat(r.statusCode()).isEqualTo(200);
    return JWKSet.parse(r.body()).getKeys().stream().map(JWK::getKeyID).toList();
  }

  private String mint() throws Exception {
    HttpResponse<String> r = http.postJson("/tokens", "{\"sender\":\"agent://a\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("token").asText();
  }

  private static String kid(String token) throws Exception {
    return com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID();
  }

  @Test
  void jwksListsPublishedKeysOnlyAsTheClockMoves() throws Exception {
    start(timeline(), Map.of());
    assertThat(jwksKids()).containsExactlyInAnyOrder("key-old", "key-a", "key-b");
    clock.set(T0.plus(HOUR));
    assertThat(jwksKids()).containsExactlyInAnyOrder("key-a", "key-b");
    String body = http.get("/.well-known/jwks.json").body();
    for (String member : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"")) {
      assertThat(body).doesNotContain(member);
    }
    JsonNode key = JSON.readTree(body).get("keys").get(0);
    assertThat(key.get("use").asText()).isEqualTo("sig");
    assertThat(key.get("alg").asText()).isEqualTo("ES256");
    assertThat(key.get("crv").asText()).isEqualTo("P-256");
  }

  @Test
  void signerSwitchesAtActivateAtAndOldTokensStillVerify() throws Exception {
    start(timeline(), Map.of());
    String beforeSwitch = mint();
    assertThat(kid(beforeSwitch)).isEqualTo("key-a");
    clock.set(T0.plus(HOUR.multipliedBy(2)).minusMillis(1));
    assertThat(kid(mint())).isEqualTo("key-a");
    clock.set(T0.plus(HOUR.multipliedBy(2)));
    String afterSwitch = mint();
    assertThat(kid(afterSwitch)).isEqualTo("key-b");
    String jwks = http.get("/.well-known/jwks.json").body();
    Tokens.verify(afterSwitch, jwks);
    Tokens.verify(beforeSwitch, jwks);
  }

  @Test
  void etagAnswers304AndChangesWithTheKeys() throws Exception {
    start(timeline(), Map.of());
    HttpResponse<String> first = http.get("/.well-known/jwks.json");
    String etag = first.headers().firstValue("etag").orElseThrow();
    assertThat(etag).matches("\"[A-Za-z0-9_-]+\"");
    assertThat(http.get("/.well-known/jwks.json").headers().firstValue("etag")).contains(etag);

    HttpResponse<String> notModified = http.get("/.well-known/jwks.json", "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(notModified.headers().firstValue("etag")).contains(etag);
    assertThat(notModified.headers().firstValue("cache-control")).isPresent();
    assertThat(http.get("/.well-known/jwks.json", "If-None-Match", "\"x\", W/" + etag)
        .statusCode()).isEqualTo(304);
    assertThat(http.get("/.well-known/jwks.json", "If-None-Match", "\"other\"").statusCode())
        .isEqualTo(200);

    clock.set(T0.plus(HOUR));
    HttpResponse<String> changed = http.get("/.well-known/jwks.json", "If-None-Match", etag);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.headers().firstValue("etag")).get().isNotEqualTo(etag);

    String metrics = http.get("/metrics").body();
    assertThat(metrics).contains("macp_issuer_jwks_requests_total{status=\"304\"} 2.0");
    assertThat(metrics).contains("macp_issuer_jwks_requests_total{status=\"200\"} 4.0");
  }

  @Test
  void cacheControlMaxAgeIsTheVerifierCacheTtl() {
    start(timeline(), Map.of());
    assertThat(http.get("/.well-known/jwks.json").headers().firstValue("cache-control"))
        .contains("public, max-age=300");
    server.close();
    start(timeline(), Map.of("MACP_AUTH_VERIFIER_CACHE_TTL", "45s"));
    assertThat(http.get("/.well-known/jwks.json").headers().firstValue("cache-control"))
        .contains("public, max-age=45");
  }

  /**
   * An operator-managed key set carries the token TTLs and the JWKS max-age; they apply on reload
   * (no restart), the signer's maxTokenTtl still clamps below them, and a key set without them
   * falls back to the env.
   */
  @Test
  void keySetSettingsApplyLiveOverTheEnvAndTheSignersMaximumStillClamps() throws Exception {
    start(timeline(), Map.of("MACP_AUTH_MAX_TTL_SECONDS", "600",
        "MACP_AUTH_DEFAULT_TTL_SECONDS", "42", "MACP_AUTH_VERIFIER_CACHE_TTL", "45s"));
    assertTtls(42, 600, 45);

    source.push(timeline().withSettings(
        SETTINGS));
    assertTtls(90, 120, 7);

    // a replica that lags keeps minting under the older maximum; the key's own maxTokenTtl
    // (never lowered) is what bounds it, and it clamps below the document's maximum too
    source.push(new KeySet(List.of(ManagedKey.created(a, T0.minus(HOUR), T0.minus(HOUR),
            Duration.ofSeconds(100))),
        SETTINGS));
    assertTtls(90, 100, 7);

    source.push(timeline());
    assertTtls(42, 600, 45);
  }

  private static final IssuerSettings SETTINGS =
      new IssuerSettings(Duration.ofSeconds(90), Duration.ofSeconds(120), Duration.ofSeconds(7));

  private void assertTtls(long defaultTtl, long maxTtl, long maxAge) throws Exception {
    assertThat(expiresIn("{\"sender\":\"agent://a\"}")).isEqualTo(defaultTtl);
    assertThat(expiresIn("{\"sender\":\"agent://a\",\"ttl_seconds\":100000}")).isEqualTo(maxTtl);
    assertThat(http.get("/.well-known/jwks.json").headers().firstValue("cache-control"))
        .contains("public, max-age=" + maxAge);
  }

  /** expires_in_seconds, checked against the token's own exp - iat. */
  private long expiresIn(String request) throws Exception {
    HttpResponse<String> r = http.postJson("/tokens", request);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    var claims = com.nimbusds.jwt.SignedJWT.parse(body.get("token").asText()).getJWTClaimsSet();
    long expiresIn = body.get("expires_in_seconds").asLong();
    assertThat(claims.getExpirationTime().getTime() / 1000 - claims.getIssueTime().getTime() / 1000)
        .isEqualTo(expiresIn);
    return expiresIn;
  }

  @Test
  void readyzIs503UntilAKeyMaySignThen200() throws Exception {
    start(new KeySet(List.of(ManagedKey.created(a, T0, T0.plus(Duration.ofMinutes(3))))),
        Map.of());
    HttpResponse<String> notReady = http.get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(notReady.body()))
        .isEqualTo(JSON.readTree("{\"ready\":false,\"reason\":\"no signing key is active now\"}"));
    assertThat(http.get("/healthz").body()).isEqualTo("{\"ok\":true}");
    // Published before it signs, so verifiers can fetch it in advance.
    assertThat(jwksKids()).containsExactly("key-a");

    clock.advance(Duration.ofMinutes(3));
    HttpResponse<String> ready = http.get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ready.body()).get("kid").asText()).isEqualTo("key-a");
  }

  @Test
  void reloadedKeySetTakesEffectAndARejectedOneChangesNothing() throws Exception {
    start(TestKeys.single(a), Map.of());
    String tokenA = mint();
    // The successor the operator writes: a stays published, b signs from now.
    source.push(new KeySet(List.of(
        new ManagedKey(a, T0.minus(HOUR), T0.minus(HOUR), T0, T0.plus(HOUR), null),
        ManagedKey.created(b, T0.minus(HOUR), T0))));
    String tokenB = mint();
    assertThat(kid(tokenB)).isEqualTo("key-b");
    String jwks = http.get("/.well-known/jwks.json").body();
    Tokens.verify(tokenA, jwks);
    Tokens.verify(tokenB, jwks);

    source.reject("key set is not a JSON object");
    assertThat(kid(mint())).isEqualTo("key-b");
    assertThat(jwksKids()).containsExactlyInAnyOrder("key-a", "key-b");
  }

  @Test
  void keyGaugesReportActiveKeyAgeAndTimeToNextActivation() {
    start(timeline(), Map.of());
    clock.set(T0.plus(Duration.ofMinutes(30)));
    String metrics = http.get("/metrics").body();
    assertThat(metrics).contains("macp_issuer_active_key_age_seconds 1800.0");
    assertThat(metrics).contains("macp_issuer_next_key_activation_seconds 5400.0");
  }

  @Test
  void discoveryHangsEndpointsOffAnIssuerUrl() throws Exception {
    start(timeline(), Map.of("MACP_AUTH_ISSUER", "https://auth.example.com/macp/"));
    JsonNode doc = JSON.readTree(http.get("/.well-known/openid-configuration").body());
    assertThat(doc.get("issuer").asText()).isEqualTo("https://auth.example.com/macp/");
    assertThat(doc.get("jwks_uri").asText())
        .isEqualTo("https://auth.example.com/macp/.well-known/jwks.json");
    assertThat(doc.get("token_endpoint").asText())
        .isEqualTo("https://auth.example.com/macp/tokens");
    assertThat(doc.get("id_token_signing_alg_values_supported").get(0).asText())
        .isEqualTo("ES256");
  }

  @Test
  void discoveryUsesTheRequestHostWhenTheIssuerIsABareName() throws Exception {
    start(timeline(), Map.of());
    HttpResponse<String> r = http.get("/.well-known/openid-configuration");
    JsonNode doc = JSON.readTree(r.body());
    assertThat(doc.get("issuer").asText()).isEqualTo("macp-auth-service");
    assertThat(doc.get("jwks_uri").asText())
        .isEqualTo("http://127.0.0.1:" + server.port() + "/.well-known/jwks.json");
    assertThat(r.headers().firstValue("vary")).contains("Host");
  }
}
