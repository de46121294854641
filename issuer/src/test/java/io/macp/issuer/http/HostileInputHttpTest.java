package io.macp.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import io.macp.issuer.AuditCapture;
import io.macp.issuer.Http;
import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.PushKeySetSource;
import io.macp.issuer.SettableClock;
import io.macp.issuer.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hostile inputs of the issuer's input-hardening issue that need no credentials policy, each
 * as a named regression test over real sockets on 127.0.0.1 against an open issuer (mode None,
 * the reference's behaviour, where every body is read). Each failed on the code before the fix.
 */
class HostileInputHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static IssuerServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    server = IssuerServer.start(
        IssuerConfig.fromEnv(Map.of("PORT", "0", "MACP_AUTH_BIND_ADDRESS", "127.0.0.1",
            "MACP_AUTH_PUBLIC_PORT", "0")),
        new SettableClock(Instant.parse("2026-11-23T12:00:00Z")),
        new PushKeySetSource(TestKeys.single(TestKeys.es256("k"))));
    http = new Http(server.baseUri());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A body of about {@code size} bytes whose scopes are {@code "kN":1e9999} entries. */
  static String exponentFlood(int size) {
    StringBuilder b = new StringBuilder("{\"sender\":\"agent://a\",\"scopes\":{");
    for (int i = 0; b.length() < size - 20; i++) {
      b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1e9999");
    }
    return b.append("}}").toString();
  }

  // Input 1: one unauthenticated request made a 44 MB audit line and a 59 MB token.
  @Test
  void input01_exponentNumbersInScopesAreNeverExpanded() throws Exception {
    String body = exponentFlood(RequestBodies.MAX_BYTES);
    assertThat(body.length()).isBetween(60_000, RequestBodies.MAX_BYTES);
    try (AuditCapture audit = new AuditCapture()) {
      HttpResponse<String> r = http.postJson("/tokens", body);
      // Either refused as too large, or a token no larger than the body: never megabytes.
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("{\"error\":\"scopes too large\"}");
      assertThat(audit.lines()).singleElement()
          .satisfies(line -> assertThat(line.length()).isLessThan(1024));
    }

    // A small one is minted, with the number in compact form.
    HttpResponse<String> small = http.postJson("/tokens",
        "{\"sender\":\"agent://a\",\"scopes\":{\"k\":1e9999,\"f\":1.50,\"n\":-2.5E-30}}");
    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(small.body().length()).isLessThan(1024);
    String payload = SignedJWT.parse(JSON.readTree(small.body()).get("token").asText())
        .getPayload().toString();
    assertThat(payload).contains("\"macp_scopes\":{\"k\":1e+9999,\"f\":1.50,\"n\":-2.5e-30}");
  }

  // Input 3: {"sender":"a","scopes":{"x":1e10000}} got 500 internal error.
  // Input 4: the same number cut the audit line down to {event, outcome, audit_error}.
  @Test
  void input03and04_anExponentBeyondPlainWritingMintsAndIsAuditedInFull() throws Exception {
    try (AuditCapture audit = new AuditCapture()) {
      HttpResponse<String> r =
          http.postJson("/tokens", "{\"sender\":\"a\",\"scopes\":{\"x\":1e10000}}");
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode line = audit.last();
      String rawLine = audit.lines().get(audit.lines().size() - 1);
      assertThat(line.has("audit_error")).isFalse();
      for (String field : List.of("time", "source", "caller", "sender", "outcome")) {
        assertThat(line.get(field).isNull()).as(field).isFalse();
      }
      assertThat(line.has("reason")).isTrue();
      assertThat(line.get("outcome").asText()).isEqualTo("issued");
      assertThat(line.get("sender").asText()).isEqualTo("a");
      assertThat(rawLine).contains("\"scopes\":{\"x\":1e+10000}");
    }
  }

  // Input 3, the whole kind: no body yields a 5xx.
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"sender\":\"a\",\"scopes\":{\"x\":1e10000}}",
      "{\"sender\":\"a\",\"scopes\":{\"x\":-1e-10000}}",
      "{\"sender\":\"a\",\"scopes\":{\"x\":0e-99999}}",
      "{\"sender\":\"a\",\"scopes\":{\"x\":\"\\ud800\"}}",
      "{\"sender\":\"\\udc00\"}",
      "{\"sender\":\"a\",\"scopes\":{\"\\ud800x\":1}}",
      "{\"sender\":\"a\",\"ttl_seconds\":1e99999999}",
      "{\"sender\":\"a\",\"scopes\":{\"x\":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}}"})
  void input03_noBodyGetsA5xx(String body) {
    HttpResponse<String> r = http.postJson("/tokens", body);
    assertThat(r.statusCode()).isLessThan(500);
    assertThat(r.body().length()).isLessThan(2048);
  }

  @Test
  void input03_numbersLongerThanTheBoundAreRefused() {
    String digits = "1".repeat(200);
    HttpResponse<String> r =
        http.postJson("/tokens", "{\"sender\":\"a\",\"scopes\":{\"x\":" + digits + "}}");
    assertThat(r.statusCode()).isEqualTo(400);
  }

  // Input 7: a chunked body over 64 KiB that is not JSON got 400 "sender is required".
  @Test
  void input07_chunkedNonJsonBodyOverTheLimitIs413() {
    byte[] big = "x".repeat(RequestBodies.MAX_BYTES + 10).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = http.send(http.request("/tokens", "Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
        .build());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).isEqualTo("{\"error\":\"request body too large\"}");
  }

  // Input 8: GET /healthz HTTP/1.2 (or 9.9, 0.9) got 505.
  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.2", "HTTP/9.9", "HTTP/0.9", "HTTP/2.0", "HTTP/1.10"})
  void input08_unknownHttpVersionsAre400Not505(String version) throws IOException {
    for (int port : List.of(server.port(), server.publicPort())) {
      String response = raw(port, "GET /healthz " + version + "\r\nHost: x\r\n\r\n");
      assertThat(response).as(version + " on " + port).startsWith("HTTP/1.1 4");
    }
  }

  @Test
  void input08_unknownTransferCodingIsNot5xx() throws IOException {
    String response = raw(server.port(), "POST /tokens HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 4");
  }

  // Found after the hardening round: "foo, chunked" minted (chunked last, the unknown coding
  // before it ignored), so the body was read without a coding the client said it applied.
  @ParameterizedTest
  @ValueSource(strings = {"foo, chunked", "gzip, chunked", "chunked, chunked", "identity",
      "foo", "chunked;x=1", "chunked\r\nTransfer-Encoding: chunked", "foo\r\nTransfer-Encoding: chunked"})
  void anyTransferCodingButChunkedAloneIs400AndClosesTheConnection(String coding) throws IOException {
    String body = "{\"sender\":\"agent://a\"}";
    String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    for (int port : List.of(server.port(), server.publicPort())) {
      String response = raw(port, "POST /tokens HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/json\r\nTransfer-Encoding: " + coding + "\r\n\r\n" + chunked);
      assertThat(response).as(coding + " on " + port).startsWith("HTTP/1.1 400");
      assertThat(response).as(coding).doesNotContain("access_token");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "Chunked", " chunked "})
  void chunkedAloneStillMints(String coding) throws IOException {
    String body = "{\"sender\":\"agent://a\"}";
    String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    String response = raw(server.port(), "POST /tokens HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: " + coding + "\r\n\r\n" + chunked);
    assertThat(response).as(coding).startsWith("HTTP/1.1 200");
  }

  // Input 12: HEAD on the JWKS answered text/plain, Content-Length 0, no ETag or Cache-Control.
  @Test
  void input12_headAnswersWithTheHeadersOfGet() {
    for (String path : List.of("/.well-known/jwks.json", "/.well-known/openid-configuration",
        "/healthz", "/readyz")) {
      HttpResponse<String> get = http.get(path);
      HttpResponse<String> head = http.method("HEAD", path, null);
      assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
      assertThat(head.body()).isEmpty();
      for (String h : List.of("content-type", "etag", "cache-control", "content-length")) {
        assertThat(head.headers().firstValue(h)).as(path + " " + h)
            .isEqualTo(get.headers().firstValue(h));
      }
    }
    HttpResponse<String> jwks = http.method("HEAD", "/.well-known/jwks.json", null);
    assertThat(jwks.headers().firstValue("content-type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
    assertThat(jwks.headers().firstValue("etag")).isPresent();
    assertThat(jwks.headers().firstValue("cache-control")).isPresent();
    assertThat(jwks.headers().firstValueAsLong("content-length").orElse(0)).isPositive();
  }

  // Input 10: Jetty logged 8 KB warnings echoing header values (duplicate Host), with raw
  // control characters (C1 controls such as CSI, U+009B, pass Jetty's parser as obs-text).
  @Test
  void input10_noLogLineEchoesMoreThanABoundedEscapedPieceOfAHeader() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String value = "\u009b31m\tforged" + "a".repeat(7000);
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (int port : List.of(server.port(), server.publicPort())) {
        raw(port, "GET /healthz HTTP/1.1\r\nHost: " + value + "\r\nHost: b\r\n\r\n");
        raw(port, "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: " + value + "\r\n\r\n");
      }
      Thread.sleep(300);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    // The control: Jetty did warn about the duplicate Host header.
    assertThat(out).contains("Host");
    for (String line : out.split("\n")) {
      assertThat(line.length()).as(line.length() > 100 ? line.substring(0, 100) : line)
          .isLessThanOrEqualTo(2300);
      assertThat(line).doesNotContain("\u009b").doesNotContain("\r");
      assertThat(line).doesNotContain("a".repeat(2100));
    }
  }

  // Input 2 (the part without credentials, see the policy test for the rest): slow bodies on the
  // mint port never stop the public port, which has its own threads.
  @Test
  void input02_slowBodiesOnTheMintPortNeverStopThePublicPort() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      // From 127.0.0.2..: the per-address bound is not what this test is about.
      for (int i = 0; i < 70; i++) {
        Socket s = new Socket("127.0.0.1", server.port(),
            java.net.InetAddress.getByName("127.0.0." + (2 + i % 8)), 0);
        s.getOutputStream().write(("POST /tokens HTTP/1.1\r\nHost: x\r\nContent-Type: "
            + "application/json\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        slow.add(s);
      }
      Thread.sleep(500);
      Http publicPort = new Http(server.publicBaseUri());
      long t0 = System.nanoTime();
      for (String path : List.of("/healthz", "/readyz", "/.well-known/jwks.json")) {
        assertThat(publicPort.get(path).statusCode()).as(path).isEqualTo(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  // Slow bodies hold a thread for at most the body deadline, however slowly they trickle.
  @Test
  void slowBodyIsCutAtTheDeadlineAndSlowHeadersAtTheirs() throws Exception {
    long t0 = System.nanoTime();
    try (Socket body = new Socket("127.0.0.1", server.port());
        Socket headers = new Socket("127.0.0.1", server.port())) {
      body.getOutputStream().write(("POST /tokens HTTP/1.1\r\nHost: x\r\nContent-Type: "
          + "application/json\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.UTF_8));
      headers.getOutputStream().write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.UTF_8));
      boolean bodyOpen = true;
      boolean headersOpen = true;
      // One byte a second on each, for up to 25 s: Jetty's idle timeout (30 s) never fires.
      for (int i = 0; i < 25 && (bodyOpen || headersOpen); i++) {
        Thread.sleep(1000);
        bodyOpen = bodyOpen && sendByte(body, " ");
        headersOpen = headersOpen && sendByte(headers, "X");
      }
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(bodyOpen).as("slow body closed").isFalse();
      assertThat(headersOpen).as("slow headers closed").isFalse();
      assertThat(took).isLessThan(Duration.ofSeconds(
          HttpLimits.BODY_READ_DEADLINE.toSeconds() + HttpLimits.HEADER_READ_DEADLINE.toSeconds()
              + 3));
    }
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(http.get("/metrics").body()).containsPattern(
        "macp_issuer_connections_closed_total\\{reason=\"header_deadline\"} [1-9]");
  }

  @Test
  void connectionsPerSourceAddressAreBounded() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      java.net.InetAddress from = java.net.InetAddress.getByName("127.0.0.99");
      for (int i = 0; i < HttpLimits.MAX_CONNECTIONS_PER_ADDRESS + 10; i++) {
        sockets.add(new Socket("127.0.0.1", server.port(), from, 0));
      }
      Thread.sleep(500);
      int closed = 0;
      for (Socket s : sockets) {
        s.setSoTimeout(200);
        try {
          if (s.getInputStream().read() < 0) {
            closed++;
          }
        } catch (SocketTimeoutException e) {
          // still open
        } catch (IOException e) {
          closed++;
        }
      }
      assertThat(closed).isEqualTo(10);
      assertThat(http.get("/metrics").body()).contains(
          "macp_issuer_connections_closed_total{reason=\"per_address_limit\"} 10.0");
      // Other addresses are unaffected.
      assertThat(http.get("/healthz").statusCode()).isEqualTo(200);

      // Closed connections are counted out: the address gets its whole allowance back.
      for (Socket s : sockets) {
        s.close();
      }
      sockets.clear();
      Thread.sleep(500);
      for (int i = 0; i < HttpLimits.MAX_CONNECTIONS_PER_ADDRESS; i++) {
        Socket s = new Socket("127.0.0.1", server.port(), from, 0);
        sockets.add(s);
        s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
      }
      for (Socket s : sockets) {
        s.setSoTimeout(3000);
        assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1))
            .isEqualTo("HTTP/1.1 200");
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private static boolean sendByte(Socket s, String b) {
    try {
      s.getOutputStream().write(b.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      s.setSoTimeout(1);
      try {
        if (s.getInputStream().read() < 0) {
          return false;
        }
      } catch (SocketTimeoutException e) {
        return true;
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static String raw(int port, String request) throws IOException {
    return Http.raw(port, request);
  }
}
