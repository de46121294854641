package io.macp.issuer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

/**
 * {@code java -XX:ArchiveClassesAtExit=issuer.jsa -jar macp-issuer.jar --warm-up}: serves one of
 * each request on a loopback port with an ephemeral key, then exits, so the image build can record
 * every class a real request loads into a class-data-sharing archive. Starting with
 * {@code -XX:SharedArchiveFile=issuer.jsa} then roughly halves the time to the first answer
 * (docs/benchmarks.md).
 */
final class WarmUpRun {
  private WarmUpRun() {}

  static void run() throws Exception {
    io.macp.keyset.NativeCrypto.install();
    IssuerConfig config = IssuerConfig.fromEnv(Map.of(
        "PORT", "0", "MACP_AUTH_BIND_ADDRESS", "127.0.0.1", "MACP_AUTH_DRAIN_TIMEOUT", "1s"));
    try (IssuerServer server = IssuerServer.start(config, Clock.systemUTC())) {
      HttpClient http = HttpClient.newHttpClient();
      URI base = server.baseUri();
      expectOk(http, HttpRequest.newBuilder(base.resolve("/healthz")).build());
      expectOk(http, HttpRequest.newBuilder(base.resolve("/readyz")).build());
      expectOk(http, HttpRequest.newBuilder(base.resolve("/.well-known/jwks.json")).build());
      expectOk(http, HttpRequest.newBuilder(base.resolve("/.well-known/openid-configuration")).build());
      expectOk(http, HttpRequest.newBuilder(base.resolve("/tokens"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"sender\":\"agent://warm-up\",\"scopes\":{\"can_start_sessions\":true},\"ttl_seconds\":60}"))
          .build());
    }
  }

  private static void expectOk(HttpClient http, HttpRequest request) throws Exception {
    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    if (status != 200) {
      throw new IllegalStateException("warm-up " + request.uri().getPath() + " answered " + status);
    }
  }
}
