package io.macp.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private HealthServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        HealthServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            ready::get,
            () -> "# TYPE macp_issuer_jwks_keys gauge\nmacp_issuer_jwks_keys{name=\"a\"} 3.0\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void livenessAnswersWhileTheProcessRuns() throws Exception {
    var response = get("/healthz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void readinessFollowsTheOperator() throws Exception {
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    assertThat(get("/readyz").body()).isEqualTo("{\"ready\":false}");
    ready.set(true);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    ready.set(false);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void aFailingReadinessCheckIsNotReadyRatherThanAnError() throws Exception {
    try (HealthServer throwing =
        HealthServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            () -> {
              throw new IllegalStateException("not started");
            },
            () -> "")) {
      var response =
          send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + throwing.port() + "/readyz")).build());
      assertThat(response.statusCode()).isEqualTo(503);
    }
  }

  @Test
  void metricsAreThePrometheusText() throws Exception {
    var response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(HealthServer.PROMETHEUS_TEXT);
    assertThat(response.body()).contains("macp_issuer_jwks_keys{name=\"a\"} 3.0");
  }

  @Test
  void unknownPathsAndWritesAreRefused() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/healthz/extra").statusCode()).isEqualTo(404);
    var post = send(HttpRequest.newBuilder(uri("/healthz")).POST(HttpRequest.BodyPublishers.ofString("x")).build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }
}
