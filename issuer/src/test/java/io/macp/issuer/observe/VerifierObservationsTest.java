package io.macp.issuer.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class VerifierObservationsTest {
  static final Instant T0 = Instant.parse("2026-11-30T05:00:00Z");
  static final Duration WINDOW = Duration.ofSeconds(600);

  static VerifierClient client(int i) {
    return new VerifierClient("10.0.0." + i, "macp-runtime/1");
  }

  @Test
  void theLeastRecentlyFetchingClientIsEvictedAtTheCapAndCounted() {
    VerifierObservations t = new VerifierObservations(3, WINDOW);
    t.observe(client(1), T0, "\"a\"", Set.of("k1"));
    t.observe(client(2), T0.plusSeconds(1), "\"a\"", Set.of("k1"));
    t.observe(client(3), T0.plusSeconds(2), "\"a\"", Set.of("k1"));
    // Client 1 fetches again: now client 2 is the least recent.
    t.observe(client(1), T0.plusSeconds(3), "\"b\"", Set.of("k1", "k2"));
    t.observe(client(4), T0.plusSeconds(4), "\"b\"", Set.of("k1", "k2"));
    assertThat(t.size()).isEqualTo(3);
    assertThat(t.evictions()).isEqualTo(1);
    assertThat(t.snapshot()).extracting(f -> f.client().address())
        .containsExactly("10.0.0.3", "10.0.0.1", "10.0.0.4");
    VerifierFetch one = t.snapshot().get(1);
    assertThat(one.fetches()).isEqualTo(2);
    assertThat(one.etag()).isEqualTo("\"b\"");
    assertThat(one.kids()).containsExactlyInAnyOrder("k1", "k2");
  }

  /** The fetch before the latest, per client, for the operator's refresh interval. */
  @Test
  void eachClientKeepsItsFetchBeforeTheLatest() {
    VerifierObservations t = new VerifierObservations(10, WINDOW);
    t.observe(client(1), T0, "\"a\"", Set.of("k1"));
    assertThat(t.snapshot().get(0).previousFetch()).isNull();
    t.observe(client(1), T0.plusSeconds(180), "\"a\"", Set.of("k1"));
    t.observe(client(1), T0.plusSeconds(360), "\"b\"", Set.of("k1", "k2"));
    VerifierFetch f = t.snapshot().get(0);
    assertThat(f.lastFetch()).isEqualTo(T0.plusSeconds(360));
    assertThat(f.previousFetch()).isEqualTo(T0.plusSeconds(180));
    // two fetches at the same instant are one: the earlier fetch stays the previous one
    t.observe(client(1), T0.plusSeconds(360), "\"b\"", Set.of("k1", "k2"));
    assertThat(t.snapshot().get(0).previousFetch()).isEqualTo(T0.plusSeconds(180));
  }

  @Test
  void onlyClientsThatFetchedWithinTheWindowAreActiveAndCountedPerKid() {
    VerifierObservations t = new VerifierObservations(10, WINDOW);
    t.observe(client(1), T0, "\"a\"", Set.of("k1"));
    t.observe(client(2), T0.plusSeconds(100), "\"b\"", Set.of("k1", "k2"));
    t.observe(client(3), T0.plusSeconds(200), "\"b\"", Set.of("k1", "k2"));
    Instant now = T0.plus(WINDOW); // client 1's fetch is exactly WINDOW old: not active
    assertThat(t.activeAt(now)).extracting(f -> f.client().address())
        .containsExactlyInAnyOrder("10.0.0.2", "10.0.0.3");
    assertThat(t.holdersAt(now, List.of("k1", "k2", "k3")))
        .isEqualTo(Map.of("k1", 2, "k2", 2, "k3", 0));
    assertThat(t.holdersAt(T0.plusSeconds(250), List.of("k1", "k2")))
        .isEqualTo(Map.of("k1", 3, "k2", 2));
  }

  @Test
  void aFloodOfDistinctClientsFromManyThreadsStaysAtTheCap() throws Exception {
    VerifierObservations t = new VerifierObservations(100, WINDOW);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int worker = w;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 5_000; i++) {
            t.observe(new VerifierClient("10.1." + worker + "." + i, "flood"), T0, "\"a\"",
                Set.of("k1"));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(t.size()).isEqualTo(100);
    assertThat(t.evictions()).isEqualTo(20_000 - 100);
  }

  @Test
  void aCapBelowOneIsRefused() {
    assertThatThrownBy(() -> new VerifierObservations(0, WINDOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }

  @Test
  void clientNamesAreBoundedAndPrintable() {
    VerifierClient c = new VerifierClient("10.0.0.1", "evil\r\nX-Injected: 1" + "a".repeat(500));
    assertThat(c.userAgent()).hasSize(VerifierClient.MAX_USER_AGENT).doesNotContain("\r", "\n");
    assertThat(c.userAgent()).startsWith("evil??X-Injected: 1");
    assertThat(new VerifierClient(null, null).displayName()).isEmpty();
    assertThat(new VerifierClient("10.0.0.1", "rt/1").displayName()).isEqualTo("10.0.0.1 (rt/1)");
  }

  @Test
  void onlyPlausibleForwardedAddressesAreTaken() {
    assertThat(FetchRecorder.looksLikeIp("10.2.3.4")).isTrue();
    assertThat(FetchRecorder.looksLikeIp("fe80::1")).isTrue();
    assertThat(FetchRecorder.looksLikeIp("evil.example")).isFalse();
    assertThat(FetchRecorder.looksLikeIp("")).isFalse();
    assertThat(FetchRecorder.looksLikeIp("1".repeat(46))).isFalse();
  }
}
