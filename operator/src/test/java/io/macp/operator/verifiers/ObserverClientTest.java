package io.macp.operator.verifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.macp.keyset.ObservedVerifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real sockets on 127.0.0.1 against a stand-in of the issuer's documented /verifiers answer. */
class ObserverClientTest {
  static final String TOKEN = "observer-token-0123456789abcdef";
  final AtomicReference<String> body = new AtomicReference<>();
  final AtomicReference<String> seenAuth = new AtomicReference<>();
  HttpServer server;

  URI start(int status) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/verifiers", ex -> {
      seenAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
      byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  static String answer(String lastFetch, String... kids) {
    return "{\"now\":\"2026-11-30T05:00:30Z\",\"activeWindowSeconds\":600,\"maxClients\":4096,"
        + "\"evictions\":0,\"clients\":[{\"address\":\"10.0.3.7\",\"userAgent\":\"rt/1\","
        + "\"lastFetch\":\"" + lastFetch + "\",\"etag\":\"\\\"x\\\"\",\"kids\":[\""
        + String.join("\",\"", kids) + "\"],\"fetches\":3}]}";
  }

  @Test
  void readsAReplicasTableWithTheBearerToken() throws Exception {
    body.set(answer("2026-11-30T05:00:00Z", "k1", "k2"));
    URI base = start(200);
    List<ObservedVerifier> got = new ObserverClient().fetch(base, TOKEN);
    assertThat(seenAuth.get()).isEqualTo("Bearer " + TOKEN);
    assertThat(got).containsExactly(new ObservedVerifier("10.0.3.7 (rt/1)",
        Instant.parse("2026-11-30T05:00:00Z"), Set.of("k1", "k2")));
  }

  @Test
  void aReplicaThatRefusesOrIsDownIsCountedNotGuessed() throws Exception {
    body.set("{\"error\":\"unauthenticated\"}");
    URI refusing = start(401);
    ObserverClient.Collected c = new ObserverClient().collect(
        List.of(refusing, URI.create("http://127.0.0.1:1")), TOKEN);
    assertThat(c.reached()).isZero();
    assertThat(c.coverage().verifiers()).isEmpty();
    assertThat(c.failures()).hasSize(2);
    assertThat(c.failures().get(0)).endsWith("answered 401").doesNotContain(TOKEN);
    assertThat(c.failures().get(1)).contains("not reachable");
  }

  /** The replica's fetch before the latest gives the client's refresh interval. */
  @Test
  void previousFetchIsReadAndAbsentOrNullMeansNone() throws Exception {
    String with = answer("2026-11-30T05:00:00Z", "k1").replace("\"etag\"",
        "\"previousFetch\":\"2026-11-30T04:57:00Z\",\"etag\"");
    ObservedVerifier v = ObserverClient.parse(with.getBytes(StandardCharsets.UTF_8)).get(0);
    assertThat(v.previousFetch()).isEqualTo(Instant.parse("2026-11-30T04:57:00Z"));
    assertThat(v.interval()).hasValue(java.time.Duration.ofMinutes(3));
    String asNull = answer("2026-11-30T05:00:00Z", "k1").replace("\"etag\"",
        "\"previousFetch\":null,\"etag\"");
    assertThat(ObserverClient.parse(asNull.getBytes(StandardCharsets.UTF_8)).get(0).interval())
        .isEmpty();
    assertThat(ObserverClient.parse(answer("2026-11-30T05:00:00Z", "k1")
        .getBytes(StandardCharsets.UTF_8)).get(0).previousFetch()).isNull();
  }

  @Test
  void aPartialReadIsNotComplete() throws Exception {
    body.set(answer("2026-11-30T05:00:00Z", "k1", "k2"));
    URI base = start(200);
    ObserverClient observer = new ObserverClient();
    assertThat(observer.collect(List.of(base), TOKEN).complete()).isTrue();
    assertThat(observer.collect(List.of(base, URI.create("http://127.0.0.1:1")), TOKEN)
        .complete()).isFalse();
    assertThat(observer.collect(List.of(), TOKEN).complete()).isFalse();
  }

  @Test
  void malformedAnswersAreRefusedWhole() {
    assertThatThrownBy(() -> ObserverClient.parse("nope".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("answer is not JSON");
    assertThatThrownBy(() -> ObserverClient.parse("{}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("answer has no clients array");
    assertThatThrownBy(() -> ObserverClient.parse(answer("yesterday", "k1")
        .getBytes(StandardCharsets.UTF_8))).hasMessage("a client has no valid lastFetch");
    assertThatThrownBy(() -> ObserverClient.parse(answer("2026-11-30T05:00:00Z", "k1")
        .replace("\"etag\"", "\"previousFetch\":\"soon\",\"etag\"")
        .getBytes(StandardCharsets.UTF_8))).hasMessage("a client has an invalid previousFetch");
    assertThatThrownBy(() -> ObserverClient.parse(answer("2026-11-30T05:00:00Z", "k1")
        .replace("\"etag\"", "\"previousFetch\":\"2026-11-30T05:00:00Z\",\"etag\"")
        .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("a client's previousFetch is not before its lastFetch");
  }
}
