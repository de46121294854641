package io.macp.issuer.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macp.issuer.files.PolledValue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the key-set sources share: how a key-set file is refused, and the source lifecycle. */
class PolledKeySetTest {
  @TempDir Path dir;

  private static ReloadFailure reasonOf(PolledValue.Refused e) {
    return ReloadFailure.ofTag(e.reason()).orElseThrow();
  }

  @Test
  void aDanglingSymlinkIsMissing() throws Exception {
    Path link = dir.resolve("keyset.json");
    Files.createSymbolicLink(link, dir.resolve("..data/keyset.json"));

    assertThatThrownBy(() -> PolledKeySet.read(link))
        .isInstanceOfSatisfying(PolledValue.Refused.class,
            e -> assertThat(reasonOf(e)).isEqualTo(ReloadFailure.MISSING));
  }

  @Test
  void anOversizedFileIsInvalidWithoutBeingParsed() throws Exception {
    Path file = dir.resolve("keyset.json");
    Files.write(file, new byte[(int) PolledKeySet.MAX_BYTES + 1]);

    assertThatThrownBy(() -> PolledKeySet.read(file))
        .isInstanceOfSatisfying(PolledValue.Refused.class,
            e -> assertThat(reasonOf(e)).isEqualTo(ReloadFailure.INVALID))
        .hasMessageContaining("larger than");
  }

  @Test
  void watchesOnceAfterLoadingAndNeverAfterClose() throws Exception {
    Path file = dir.resolve("keyset.json");
    KeyFixtures.write(file, KeyFixtures.signingSince(KeyFixtures.T0));
    FileKeySetSource source = new FileKeySetSource(
        file, java.time.Clock.systemUTC(), Duration.ofMillis(10), new SimpleMeterRegistry());
    assertThatThrownBy(() -> source.watch(new RecordingListener()))
        .hasMessage("call initial() before watch()");
    assertThat(source.stopped()).isTrue();
    source.initial();

    source.watch(new RecordingListener());
    assertThat(source.stopped()).isFalse();
    assertThatThrownBy(() -> source.watch(new RecordingListener()))
        .isInstanceOf(IllegalStateException.class).hasMessage("already watching " + file);

    source.close();
    assertThat(source.stopped()).isTrue();
    assertThatThrownBy(source::initial).hasMessage("key source is closed");
    assertThatThrownBy(() -> source.watch(new RecordingListener()))
        .hasMessage("key source is closed");
  }

  @Test
  void everyReasonIsATagOfTheFailureMetric() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PolledKeySet(Duration.ofSeconds(1), registry);
    for (ReloadFailure reason : ReloadFailure.values()) {
      assertThat(ReloadFailure.ofTag(reason.tag())).contains(reason);
      assertThat(KeyFixtures.failures(registry, reason)).isZero();
    }
  }
}
