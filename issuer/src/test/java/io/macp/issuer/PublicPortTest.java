package io.macp.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MACP_AUTH_PUBLIC_PORT over real sockets: the public port serves JWKS, discovery, health and
 * metrics and never the mint; the main port keeps serving everything.
 */
class PublicPortTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PUBLIC_GETS = List.of("/.well-known/jwks.json",
      "/.well-known/openid-configuration", "/healthz", "/readyz", "/metrics");
  private static final String MINT = "{\"sender\":\"agent://a\"}";

  private static IssuerConfig config(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("MACP_AUTH_BIND_ADDRESS", "127.0.0.1");
    env.put("MACP_AUTH_SIGNING_ALG", "ES256");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return IssuerConfig.fromEnv(env);
  }

  @Test
  void splitModeServesPublicEndpointsOnBothPortsAndTheMintOnlyOnTheMainPort() throws Exception {
    try (IssuerServer s = IssuerServer.start(config("MACP_AUTH_PUBLIC_PORT", "0"),
        Clock.systemUTC())) {
      assertThat(s.splitPorts()).isTrue();
      assertThat(s.publicPort()).isPositive().isNotEqualTo(s.port());
      assertThat(s.publicBaseUri()).isEqualTo(URI.create("http://127.0.0.1:" + s.publicPort()));
      Http main = new Http(s.baseUri());
      Http pub = new Http(s.publicBaseUri());
      for (String path : PUBLIC_GETS) {
        assertThat(main.get(path).statusCode()).as("main " + path).isEqualTo(200);
        assertThat(pub.get(path).statusCode()).as("public " + path).isEqualTo(200);
      }
      assertThat(pub.get("/.well-known/jwks.json").body())
          .isEqualTo(main.get("/.well-known/jwks.json").body());

      HttpResponse<String> minted = main.postJson("/tokens", MINT);
      assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
      Tokens.verify(JSON.readTree(minted.body()).get("token").asText(),
          pub.get("/.well-known/jwks.json").body());

      HttpResponse<String> refused = pub.postJson("/tokens", MINT);
      assertThat(refused.statusCode()).isEqualTo(404);
      assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
          ct -> assertThat(ct).startsWith("application/json"));
      assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("not found");
      // Not a 405: the public port does not even say that /tokens exists.
      assertThat(pub.get("/tokens").statusCode()).isEqualTo(404);
      assertThat(pub.get("/nothing-here").statusCode()).isEqualTo(404);
      // Methods the public routes do not take answer as on the main port.
      assertThat(pub.method("POST", "/.well-known/jwks.json", "{}").statusCode())
          .isEqualTo(main.method("POST", "/.well-known/jwks.json", "{}").statusCode())
          .isEqualTo(405);
      // No mint happened through the public port: only the one above is counted.
      assertThat(s.meterRegistry().find("macp.issuer.mints").counters().stream()
          .mapToDouble(c -> c.count()).sum()).isEqualTo(1.0);
    }
  }

  @Test
  void pathTricksOnThePublicPortNeverReachTheMint() throws Exception {
    try (IssuerServer s = IssuerServer.start(config("MACP_AUTH_PUBLIC_PORT", "0"),
        Clock.systemUTC())) {
      for (String target : List.of("/healthz/../tokens", "/./tokens", "//tokens", "/tokens/",
          "/%74okens", "/tokens;x=1", "/TOKENS", "/tokens?x=/healthz")) {
        int status = rawPost(s.publicPort(), target);
        assertThat(status).as(target).isIn(400, 404);
      }
      assertThat(raw(s.publicPort(), "OPTIONS * HTTP/1.1")).isIn(400, 404, 405);
      String authority = "http://127.0.0.1:" + s.publicPort();
      assertThat(raw(s.publicPort(), "GET " + authority + "/tokens HTTP/1.1")).isEqualTo(404);
      assertThat(raw(s.publicPort(), "GET " + authority + "/healthz HTTP/1.1")).isEqualTo(200);
      // The same raw request reaches the mint on the main port, so the check above can fail.
      assertThat(rawPost(s.port(), "/tokens")).isEqualTo(200);
    }
  }

  @Test
  void withoutThePublicPortEverythingStaysOnOnePort() throws Exception {
    try (IssuerServer s = IssuerServer.start(config(), Clock.systemUTC())) {
      assertThat(s.config().publicPort()).isNull();
      assertThat(s.splitPorts()).isFalse();
      assertThat(s.publicPort()).isEqualTo(s.port());
      assertThat(s.publicBaseUri()).isEqualTo(s.baseUri());
      Http http = new Http(s.baseUri());
      assertThat(http.postJson("/tokens", MINT).statusCode()).isEqualTo(200);
      for (String path : PUBLIC_GETS) {
        assertThat(http.get(path).statusCode()).as(path).isEqualTo(200);
      }
      // Discovery as before: the caller's own address.
      assertThat(jwksUri(http, "127.0.0.1:" + s.port()))
          .isEqualTo("http://127.0.0.1:" + s.port() + "/.well-known/jwks.json");
    }
  }

  @Test
  void discoveryNamesThePublicPortUnlessTheConfigurationSaysOtherwise() throws Exception {
    try (IssuerServer s = IssuerServer.start(config("MACP_AUTH_PUBLIC_PORT", "0"),
        Clock.systemUTC())) {
      Http main = new Http(s.baseUri());
      String onPublic = "http://127.0.0.1:" + s.publicPort() + "/.well-known/jwks.json";
      // Caller named the main port itself: the public port is swapped in; the mint stays main.
      assertThat(jwksUri(main, "127.0.0.1:" + s.port())).isEqualTo(onPublic);
      assertThat(JSON.readTree(main.get("/.well-known/openid-configuration").body())
          .get("token_endpoint").asText()).isEqualTo(s.baseUri() + "/tokens");
      // Through a port-mapping proxy (Host names another port): the caller's address is kept.
      assertThat(jwksUri(main, "auth.example:80"))
          .isEqualTo("http://auth.example:80/.well-known/jwks.json");
      assertThat(jwksUri(new Http(s.publicBaseUri()), "127.0.0.1:" + s.publicPort()))
          .isEqualTo(onPublic);
    }
    try (IssuerServer s = IssuerServer.start(config("MACP_AUTH_PUBLIC_PORT", "0",
        "MACP_AUTH_ISSUER", "http://auth.team-a.svc:3200",
        "MACP_AUTH_PUBLIC_URL", "http://auth.team-a.svc:3201/"), Clock.systemUTC())) {
      Http main = new Http(s.baseUri());
      assertThat(jwksUri(main, "127.0.0.1:" + s.port()))
          .isEqualTo("http://auth.team-a.svc:3201/.well-known/jwks.json");
      assertThat(JSON.readTree(main.get("/.well-known/openid-configuration").body())
          .get("token_endpoint").asText()).isEqualTo("http://auth.team-a.svc:3200/tokens");
    }
    // An issuer URL without MACP_AUTH_PUBLIC_URL (e.g. an ingress) names the JWKS as before.
    try (IssuerServer s = IssuerServer.start(config("MACP_AUTH_PUBLIC_PORT", "0",
        "MACP_AUTH_ISSUER", "https://issuer.example"), Clock.systemUTC())) {
      assertThat(jwksUri(new Http(s.baseUri()), "127.0.0.1:" + s.port()))
          .isEqualTo("https://issuer.example/.well-known/jwks.json");
    }
  }

  private static String jwksUri(Http http, String host) throws Exception {
    // java.net.http refuses to set Host: send it raw.
    URI base = http.request("/").build().uri();
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /.well-known/openid-configuration HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 200");
      return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4))
          .get("jwks_uri").asText();
    }
  }

  /** A raw request without a body; answers the status. */
  private static int raw(int port, String requestLine) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write((requestLine + "\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  /** A raw POST, so the request target reaches the server exactly as written. */
  private static int rawPost(int port, String target) throws IOException {
    byte[] body = MINT.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
