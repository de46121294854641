package io.macp.issuer.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macp.issuer.Http;
import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.SettableClock;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real sockets on 127.0.0.1: JWKS fetches (200 and 304, on either port) are recorded per client;
 * {@code GET /verifiers} is on the mint port only and needs the observer bearer token.
 */
class VerifiersEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JWKS = "/.well-known/jwks.json";
  private static final String TOKEN = "observer-token-0123456789abcdef";

  @TempDir Path dir;

  private IssuerConfig config(String... pairs) throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("MACP_AUTH_BIND_ADDRESS", "127.0.0.1");
    env.put("MACP_AUTH_SIGNING_ALG", "ES256");
    env.put("MACP_AUTH_PUBLIC_PORT", "0");
    env.put("MACP_AUTH_VERIFIER_CACHE_TTL", "5m");
    env.put("MACP_AUTH_OBSERVER_TOKEN_FILE", token.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return IssuerConfig.fromEnv(env);
  }

  @Test
  void fetchesAreRecordedPerClientAndShownOnlyToTheObserverOnTheMintPort() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-11-30T05:00:00Z"));
    try (IssuerServer s = IssuerServer.start(config(), clock)) {
      Http main = new Http(s.baseUri());
      Http pub = new Http(s.publicBaseUri());
      HttpResponse<String> first = pub.get(JWKS, "User-Agent", "runtime-a/1.0");
      assertThat(first.statusCode()).isEqualTo(200);
      String etag = first.headers().firstValue("ETag").orElseThrow();
      clock.advance(Duration.ofSeconds(30));
      assertThat(pub.get(JWKS, "User-Agent", "runtime-a/1.0", "If-None-Match", etag).statusCode())
          .isEqualTo(304);
      main.get(JWKS, "User-Agent", "runtime-b/2.0");

      // The public port never shows the table, not even with the token.
      assertThat(pub.get("/verifiers", "Authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(404);
      HttpResponse<String> anonymous = main.get("/verifiers");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).doesNotContain("127.0.0.1", "runtime-a");
      assertThat(anonymous.body()).as("the body of every 401").isEqualTo("{\"error\":\"unauthenticated\"}");
      assertThat(main.get("/verifiers", "Authorization", "Bearer wrong-token-0123456789")
          .statusCode()).isEqualTo(401);

      HttpResponse<String> shown = main.get("/verifiers", "Authorization", "Bearer " + TOKEN);
      assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
      assertThat(shown.headers().firstValue("Cache-Control")).hasValue("no-store");
      JsonNode body = JSON.readTree(shown.body());
      assertThat(body.get("activeWindowSeconds").asLong()).isEqualTo(600);
      assertThat(body.get("maxClients").asInt()).isEqualTo(4096);
      Map<String, JsonNode> byAgent = new HashMap<>();
      body.get("clients").forEach(c -> byAgent.put(c.get("userAgent").asText(), c));
      assertThat(byAgent).containsOnlyKeys("runtime-a/1.0", "runtime-b/2.0");
      JsonNode a = byAgent.get("runtime-a/1.0");
      assertThat(a.get("address").asText()).isEqualTo("127.0.0.1");
      assertThat(a.get("fetches").asLong()).isEqualTo(2);
      assertThat(a.get("etag").asText()).isEqualTo(etag);
      assertThat(a.get("lastFetch").asText()).isEqualTo("2026-11-30T05:00:30Z");
      // the 304 refresh counts as a fetch: its refresh interval is 30s
      assertThat(a.get("previousFetch").asText()).isEqualTo("2026-11-30T05:00:00Z");
      assertThat(byAgent.get("runtime-b/2.0").get("previousFetch").isNull()).isTrue();
      String kid = s.keys().keySet().keys().get(0).kid();
      List<String> kids = new ArrayList<>();
      a.get("kids").forEach(k -> kids.add(k.asText()));
      assertThat(kids).containsExactly(kid);

      String metrics = pub.get("/metrics").body();
      assertThat(metrics).contains("macp_issuer_verifiers_holding_key{kid=\"" + kid + "\"} 2.0");
      assertThat(metrics).contains("macp_issuer_verifiers_active 2.0");
      assertThat(metrics).contains("macp_issuer_verifiers_evictions_total 0.0");
      assertThat(metrics).doesNotContain("runtime-a");
      // Past 2 cache TTLs without a fetch a client no longer counts as active.
      clock.advance(Duration.ofMinutes(10));
      assertThat(pub.get("/metrics").body())
          .contains("macp_issuer_verifiers_holding_key{kid=\"" + kid + "\"} 0.0")
          .contains("macp_issuer_verifiers_active 0.0");
    }
  }

  @Test
  void forwardedAddressesAreTakenOnlyWhenConfigured() throws Exception {
    for (boolean trust : new boolean[] {false, true}) {
      try (IssuerServer s = IssuerServer.start(
          config("MACP_AUTH_OBSERVE_FORWARDED_FOR", String.valueOf(trust)),
          new SettableClock(Instant.parse("2026-11-30T05:00:00Z")))) {
        Http main = new Http(s.baseUri());
        main.get(JWKS, "X-Forwarded-For", "10.9.8.7, 10.0.0.1", "User-Agent", "rt");
        JsonNode c = JSON.readTree(main.get("/verifiers", "Authorization", "Bearer " + TOKEN)
            .body()).get("clients").get(0);
        assertThat(c.get("address").asText()).isEqualTo(trust ? "10.9.8.7" : "127.0.0.1");
      }
    }
  }

  @Test
  void withoutATokenFileOrWithObservationOffTheEndpointDoesNotExist() throws Exception {
    Map<String, String> env = Map.of("PORT", "0", "MACP_AUTH_BIND_ADDRESS", "127.0.0.1",
        "MACP_AUTH_SIGNING_ALG", "ES256");
    try (IssuerServer s = IssuerServer.start(IssuerConfig.fromEnv(env),
        new SettableClock(Instant.parse("2026-11-30T05:00:00Z")))) {
      assertThat(new Http(s.baseUri()).get("/verifiers", "Authorization", "Bearer " + TOKEN)
          .statusCode()).isEqualTo(404);
    }
    try (IssuerServer s = IssuerServer.start(config("MACP_AUTH_OBSERVE_MAX_CLIENTS", "0"),
        new SettableClock(Instant.parse("2026-11-30T05:00:00Z")))) {
      Http main = new Http(s.baseUri());
      assertThat(main.get(JWKS).statusCode()).isEqualTo(200);
      assertThat(main.get("/verifiers", "Authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(404);
      assertThat(main.get("/metrics").body()).doesNotContain("macp_issuer_verifiers");
    }
  }

  @Test
  void aTooShortOrMissingTokenFileAdmitsNobody() throws Exception {
    Path file = dir.resolve("short");
    Files.writeString(file, "short");
    try (ObserverToken token = new ObserverToken(file)) {
      assertThat(token.admits("Bearer short")).isFalse();
      Files.writeString(file, TOKEN);
      assertThat(token.admits("Bearer " + TOKEN)).as("re-read only by a poll").isFalse();
      token.checkNow();
      assertThat(token.admits("Bearer " + TOKEN)).isTrue();
      assertThat(token.admits("bearer " + TOKEN)).isTrue();
      assertThat(token.admits(TOKEN)).isFalse();
      assertThat(token.admits(null)).isFalse();
      Files.writeString(file, "x".repeat(5000));
      token.checkNow();
      assertThat(token.admits("Bearer " + "x".repeat(5000))).as("over the size bound").isFalse();
      Files.delete(file);
      token.checkNow();
      assertThat(token.admits("Bearer " + TOKEN)).isFalse();
    }
    try (ObserverToken absent = new ObserverToken(dir.resolve("never-written"))) {
      assertThat(absent.admits("Bearer " + TOKEN)).as("absent at startup: no failure, nobody admitted")
          .isFalse();
    }
  }

  @Test
  void aRotatedTokenIsPickedUpByThePollThread() throws Exception {
    Path file = dir.resolve("rotating");
    Files.writeString(file, TOKEN);
    try (ObserverToken token = new ObserverToken(file).start(java.time.Duration.ofMillis(20))) {
      assertThat(token.admits("Bearer " + TOKEN)).isTrue();
      String next = TOKEN + "-next";
      Files.writeString(file, next);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!token.admits("Bearer " + next) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(token.admits("Bearer " + next)).isTrue();
      assertThat(token.admits("Bearer " + TOKEN)).isFalse();
    }
  }
}
