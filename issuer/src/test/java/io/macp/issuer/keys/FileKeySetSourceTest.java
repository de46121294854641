package io.macp.issuer.keys;

import static io.macp.issuer.keys.KeyFixtures.T0;
import static io.macp.issuer.keys.KeyFixtures.failures;
import static io.macp.issuer.keys.KeyFixtures.reloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macp.issuer.SettableClock;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKeySetSourceTest {
  private static final Duration FAST_POLL = Duration.ofMillis(50);
  private static final Duration MANUAL = Duration.ofHours(1);

  @TempDir Path dir;

  private final SettableClock clock = new SettableClock(T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private FileKeySetSource source;

  @AfterEach
  void closeSource() {
    if (source != null) {
      source.close();
      assertThat(source.stopped()).isTrue();
    }
  }

  private FileKeySetSource sourceFor(Path file) {
    return sourceFor(file, FAST_POLL);
  }

  private FileKeySetSource sourceFor(Path file, Duration pollInterval) {
    source = new FileKeySetSource(file, clock, pollInterval, registry);
    return source;
  }

  @Test
  void picksUpAKubeletDataSymlinkSwap() throws Exception {
    KubeletVolume volume = new KubeletVolume(dir.resolve("keys"));
    KeySet first = KeyFixtures.signingSince(T0);
    volume.project(KeySetJson.write(first));
    sourceFor(volume.keySetFile());
    assertThat(source.initial()).isEqualTo(first);

    RecordingListener listener = new RecordingListener();
    source.watch(listener);
    KeySet second = KeyFixtures.signingSince(T0);
    volume.project(KeySetJson.write(second));

    assertThat(listener.nextAccepted()).isEqualTo(second);
    assertThat(reloads(registry)).isEqualTo(1.0);
    assertThat(failures(registry, ReloadFailure.MISSING)).isZero();
  }

  @Test
  void aSwapToTheSameKeysIsNotAnUpdate() throws Exception {
    KubeletVolume volume = new KubeletVolume(dir.resolve("keys"));
    String json = KeySetJson.write(KeyFixtures.signingSince(T0));
    volume.project(json);
    sourceFor(volume.keySetFile(), MANUAL).initial();
    RecordingListener listener = new RecordingListener();
    watchWithoutThread(listener);

    volume.project(json);
    source.poll();

    assertThat(listener.pending()).isZero();
    assertThat(reloads(registry)).isZero();
  }

  @Test
  void refusesEachBadUpdateKeepsTheLastGoodAndAcceptsAGoodOneAgain() throws Exception {
    Path file = dir.resolve("keyset.json");
    KeyFixtures.write(file, KeyFixtures.signingSince(T0));
    sourceFor(file, MANUAL).initial();
    RecordingListener listener = new RecordingListener();
    watchWithoutThread(listener);

    Files.delete(file);
    source.poll();
    assertThat(listener.nextRejected()).startsWith("missing:").contains(file.toString());

    KeySet secret = KeyFixtures.signingSince(T0);
    String json = KeySetJson.write(secret);
    Files.writeString(file, json.substring(0, json.length() / 2)); // torn, and holds key material
    source.poll();
    String corrupt = listener.nextRejected();
    assertThat(corrupt).startsWith("invalid:");
    KeyFixtures.privateValues(secret).forEach(d -> assertThat(corrupt).doesNotContain(d));

    Files.writeString(file, "{\"version\":1,\"keys\":[{\"kid\":\"a\"}]}");
    source.poll();
    assertThat(listener.nextRejected()).startsWith("invalid:").contains("jwk");

    Files.writeString(file, "{\"version\":2,\"keys\":[]}");
    source.poll();
    assertThat(listener.nextRejected()).startsWith("invalid:").contains("version");

    KeyFixtures.write(file, KeyFixtures.onlyFutureKey(T0));
    source.poll();
    assertThat(listener.nextRejected()).startsWith("no_signer:");

    Files.delete(file);
    Files.createDirectory(file);
    source.poll();
    assertThat(listener.nextRejected()).startsWith("unreadable:");
    Files.delete(file);
    source.poll();
    assertThat(listener.nextRejected()).startsWith("missing:");

    KeySet next = KeyFixtures.signingSince(T0);
    KeyFixtures.write(file, next);
    source.poll();
    assertThat(listener.nextAccepted()).isEqualTo(next);
    assertThat(listener.pending()).isZero();

    assertThat(failures(registry, ReloadFailure.MISSING)).isEqualTo(2.0);
    assertThat(failures(registry, ReloadFailure.INVALID)).isEqualTo(3.0);
    assertThat(failures(registry, ReloadFailure.NO_SIGNER)).isEqualTo(1.0);
    assertThat(failures(registry, ReloadFailure.UNREADABLE)).isEqualTo(1.0);
    assertThat(reloads(registry)).isEqualTo(1.0);
  }

  @Test
  void theWatcherThreadRefusesAMissingFileAndAcceptsTheNextGoodOne() throws Exception {
    Path file = dir.resolve("keyset.json");
    KeyFixtures.write(file, KeyFixtures.signingSince(T0));
    sourceFor(file).initial();
    RecordingListener listener = new RecordingListener();
    source.watch(listener);

    Files.delete(file);
    assertThat(listener.nextRejected()).startsWith("missing:");
    KeySet next = KeyFixtures.signingSince(T0);
    Path tmp = dir.resolve("keyset.json.new");
    KeyFixtures.write(tmp, next);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);

    assertThat(listener.nextAccepted()).isEqualTo(next);
    assertThat(failures(registry, ReloadFailure.MISSING)).isEqualTo(1.0);
  }

  @Test
  void aBrokenFileIsReportedOnceNotAtEveryPoll() throws Exception {
    Path file = dir.resolve("keyset.json");
    KeyFixtures.write(file, KeyFixtures.signingSince(T0));
    sourceFor(file, MANUAL).initial();
    RecordingListener listener = new RecordingListener();
    watchWithoutThread(listener);

    Files.writeString(file, "not json");
    for (int i = 0; i < 5; i++) {
      source.poll();
    }

    assertThat(listener.nextRejected()).startsWith("invalid:");
    assertThat(listener.pending()).isZero();
    assertThat(failures(registry, ReloadFailure.INVALID)).isEqualTo(1.0);
  }

  @Test
  void theLastGoodSetComesBackAfterARefusalAndIsAnnouncedAgain() throws Exception {
    Path file = dir.resolve("keyset.json");
    KeySet good = KeyFixtures.signingSince(T0);
    KeyFixtures.write(file, good);
    sourceFor(file, MANUAL).initial();
    RecordingListener listener = new RecordingListener();
    watchWithoutThread(listener);

    Files.writeString(file, "not json");
    source.poll();
    KeyFixtures.write(file, good);
    source.poll();

    assertThat(listener.nextRejected()).startsWith("invalid:");
    assertThat(listener.nextAccepted()).isEqualTo(good);
  }

  @Test
  void aSetRefusedForLackingASignerIsAcceptedOnceItsKeyActivates() throws Exception {
    Path file = dir.resolve("keyset.json");
    KeyFixtures.write(file, KeyFixtures.signingSince(T0));
    sourceFor(file, MANUAL).initial();
    RecordingListener listener = new RecordingListener();
    watchWithoutThread(listener);

    KeySet future = KeyFixtures.onlyFutureKey(T0);
    KeyFixtures.write(file, future);
    source.poll();
    source.poll();
    clock.advance(Duration.ofHours(1));
    source.poll();
    source.poll();

    assertThat(listener.nextRejected()).startsWith("no_signer:");
    assertThat(listener.nextAccepted()).isEqualTo(future);
    assertThat(listener.pending()).isZero();
  }

  @Test
  void startupFailsClearlyWhenTheFileIsMissingInvalidOrHasNoSigner() throws Exception {
    Path file = dir.resolve("keyset.json");
    assertThatThrownBy(() -> sourceFor(file).initial())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("does not exist");

    KeySet secret = KeyFixtures.signingSince(T0);
    String json = KeySetJson.write(secret);
    Files.writeString(file, json.substring(0, json.length() - 3));
    assertThatThrownBy(() -> sourceFor(file).initial())
        .hasMessageContaining("not a valid key set")
        .satisfies(e -> KeyFixtures.privateValues(secret)
            .forEach(d -> assertThat(e.getMessage()).doesNotContain(d)));

    KeyFixtures.write(file, KeyFixtures.onlyFutureKey(T0));
    assertThatThrownBy(() -> sourceFor(file).initial()).hasMessageContaining("no key that may sign");
  }

  @Test
  void exportsTheDocumentedPrometheusNames() throws Exception {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Path file = dir.resolve("keyset.json");
    KeyFixtures.write(file, KeyFixtures.signingSince(T0));
    source = new FileKeySetSource(file, clock, MANUAL, prometheus);
    source.initial();
    watchWithoutThread(new RecordingListener());
    Files.delete(file);
    source.poll();
    KeyFixtures.write(file, KeyFixtures.signingSince(T0));
    source.poll();

    assertThat(prometheus.scrape())
        .contains("macp_issuer_keyset_reload_failures_total{reason=\"missing\"} 1.0")
        .contains("macp_issuer_keyset_reload_failures_total{reason=\"no_signer\"} 0.0")
        .contains("macp_issuer_keyset_reloads_total 1.0");
  }

  @Test
  void rejectsANonPositivePollInterval() {
    assertThatThrownBy(() -> new FileKeySetSource(dir, clock, Duration.ZERO, registry))
        .hasMessageContaining("MACP_AUTH_KEYSET_POLL_INTERVAL");
  }

  /**
   * Watches with a poll interval far beyond the test, so only the test's own poll() calls run:
   * deterministic, no thread racing the assertions.
   */
  private void watchWithoutThread(RecordingListener listener) {
    source.watch(listener);
  }

  /**
   * A Secret volume as the kubelet lays it out: {@code keyset.json -> ..data/keyset.json},
   * {@code ..data -> ..<timestamp>}; an update writes a new timestamped dir, renames a new
   * {@code ..data} link over the old one, then deletes the old dir.
   */
  static final class KubeletVolume {
    private final Path root;
    private int generation;

    KubeletVolume(Path root) throws IOException {
      this.root = Files.createDirectories(root);
    }

    Path keySetFile() {
      return root.resolve(KeySetJson.FILE_NAME);
    }

    void project(String content) throws IOException {
      generation++;
      Path payload = root.resolve("..2026_11_23_12_00_00." + String.format("%09d", generation));
      Files.createDirectory(payload);
      Files.writeString(payload.resolve(KeySetJson.FILE_NAME), content, StandardCharsets.UTF_8);
      Path data = root.resolve("..data");
      Path previous = Files.isSymbolicLink(data) ? root.resolve(Files.readSymbolicLink(data)) : null;
      Path tmpLink = root.resolve("..data_tmp");
      Files.createSymbolicLink(tmpLink, payload.getFileName());
      Files.move(tmpLink, data, StandardCopyOption.ATOMIC_MOVE);
      if (!Files.isSymbolicLink(keySetFile())) {
        Files.createSymbolicLink(keySetFile(), Path.of("..data", KeySetJson.FILE_NAME));
      }
      if (previous != null) {
        try (Stream<Path> old = Files.walk(previous)) {
          old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
