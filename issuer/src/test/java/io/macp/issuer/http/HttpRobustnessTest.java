package io.macp.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macp.issuer.Http;
import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.PushKeySetSource;
import io.macp.issuer.SettableClock;
import io.macp.issuer.TestKeys;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input of every kind, over real sockets: always a 4xx with a JSON body, never a 500, never a
 * stack trace, and the server keeps serving afterwards.
 */
class HttpRobustnessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static IssuerServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    server = IssuerServer.start(
        IssuerConfig.fromEnv(Map.of("PORT", "0", "MACP_AUTH_BIND_ADDRESS", "127.0.0.1")),
        new SettableClock(Instant.parse("2026-11-23T12:00:00Z")),
        new PushKeySetSource(TestKeys.single(TestKeys.es256("k"))));
    http = new Http(server.baseUri());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String raw(byte[] request) throws IOException {
    return Http.raw(server.port(), request);
  }

  private static String raw(String request) throws IOException {
    return Http.raw(server.port(), request);
  }

  private static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  private static String body(String response) {
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  private static void assertJsonError(String response, int status, String error) {
    assertThat(status(response)).as(response).isEqualTo(status);
    assertThat(response.toLowerCase()).contains("content-type: application/json");
    assertThat(body(response)).isEqualTo("{\"error\":\"" + error + "\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /nope", "POST /token", "GET /tokens/x", "PUT /", "GET /.well-known",
      "GET /.well-known/jwks", "DELETE /metricsx", "GET /favicon.ico"})
  void unknownPathsAre404WithAJsonBody(String line) {
    String[] parts = line.split(" ");
    HttpResponse<String> r = http.method(parts[0], parts[1], null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":\"not found\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /tokens:POST", "PUT /tokens:POST", "DELETE /tokens:POST",
      "POST /.well-known/jwks.json:GET", "PUT /healthz:GET", "POST /readyz:GET",
      "DELETE /metrics:GET", "PATCH /.well-known/openid-configuration:GET"})
  void wrongMethodsOnKnownPathsAre405WithAllow(String spec) {
    String[] parts = spec.split("[ :]");
    HttpResponse<String> r = http.method(parts[0], parts[1], "{}",
        "Content-Type", "application/json");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.body()).isEqualTo("{\"error\":\"method not allowed\"}");
    assertThat(r.headers().firstValue("allow")).contains(parts[2]);
  }

  @Test
  void malformedRequestsGetJsonErrorsFromTheServerItself() throws IOException {
    assertJsonError(raw("GARBAGE\r\n\r\n"), 400, "bad request");
    assertJsonError(raw("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad request");
    assertJsonError(raw("GET /healthz HTTP/1.1\r\nHost: a\"b\r\n\r\n"), 400, "bad request");
    assertJsonError(raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
        + "\r\n\r\n"), 431, "request header fields too large");
    assertJsonError(raw("POST /tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n{}"), 400, "bad request");
    assertJsonError(raw("POST /tokens HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n"),
        400, "bad request");
  }

  @Test
  void declaredLengthOverTheLimitIs413WithoutReadingTheBody() throws IOException {
    String response = raw("POST /tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 10000000\r\n\r\n{\"sender\":\"a\"");
    assertJsonError(response, 413, "request body too large");
    assertThat(response.toLowerCase()).contains("connection: close");
  }

  @Test
  void chunkedBodyOverTheLimitIs413() throws IOException {
    StringBuilder req = new StringBuilder("POST /tokens HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    String chunk = "x".repeat(4096);
    for (int i = 0; i < 20; i++) {
      req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    req.append("0\r\n\r\n");
    assertJsonError(raw(req.toString()), 413, "request body too large");
  }

  @Test
  void contentLengthThatLiesLowOnlyReadsWhatItDeclares() throws IOException {
    // 13 bytes declared: the body is cut to {"sender":"a" and is invalid JSON; the rest is
    // parsed as a next request, which is garbage and refused by the server.
    String response = raw("POST /tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 13\r\n\r\n{\"sender\":\"a\"}, \"x\":1}");
    assertThat(status(response)).isEqualTo(400);
    assertThat(response).contains("{\"error\":\"invalid JSON body\"}");
    assertThat(response).doesNotContain(" 500 ");
  }

  @Test
  void contentLengthThatLiesHighEndsWithoutAnAnswerBeyond400() throws IOException {
    // The client declares more than it sends and then stops sending.
    String response = raw("POST /tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 500\r\n\r\n{\"sender\":\"a\"}");
    if (!response.isEmpty()) {
      assertThat(status(response)).isBetween(400, 499);
    }
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void randomBodiesNeverCauseA500() throws Exception {
    Random random = new Random(20261123);
    List<String> fragments = List.of("{", "}", "[", "]", "\"sender\"", ":", ",", "\"a\"", "null",
        "true", "1e309", "-0", "\"scopes\"", "\"ttl_seconds\"", "{\"x\":", "\\u0000", "\"\\ud800\"",
        "1.5", "\u00e9", " ", "\"", "9".repeat(400));
    for (int i = 0; i < 300; i++) {
      byte[] body;
      if (i % 3 == 0) {
        body = new byte[random.nextInt(200)];
        random.nextBytes(body);
      } else {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(12);
        for (int j = 0; j < n; j++) {
          b.append(fragments.get(random.nextInt(fragments.size())));
        }
        body = b.toString().getBytes(StandardCharsets.UTF_8);
      }
      HttpResponse<String> r = http.send(http.request("/tokens", "Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build());
      assertThat(r.statusCode()).as("body %s", new String(body, StandardCharsets.UTF_8))
          .isIn(200, 400);
      JsonNode answer = JSON.readTree(r.body());
      assertThat(answer.has(r.statusCode() == 200 ? "token" : "error")).isTrue();
    }
  }

  @Test
  void wellFormedButStrangeRequestsAreFine() throws Exception {
    assertThat(http.postJson("/tokens", "{\"sender\":\"\\ud800\"}").statusCode()).isEqualTo(200);
    assertThat(http.postJson("/tokens", "{\"sender\":\"" + "s".repeat(60_000) + "\"}")
        .statusCode()).isEqualTo(200);
    assertThat(http.get("/healthz?x=%00&y=%3Cscript%3E").body()).isEqualTo("{\"ok\":true}");
  }
}
