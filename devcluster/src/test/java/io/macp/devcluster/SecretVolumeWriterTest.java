package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macp.devcluster.SecretVolumeWriter.FilePayload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretVolumeWriterTest {
  @TempDir Path dir;

  private SecretVolumeWriter writer() {
    return new SecretVolumeWriter(dir.resolve("vol"), Clock.systemUTC());
  }

  private static Map<String, FilePayload> payload(String key, String content) {
    return Map.of(key, new FilePayload(content.getBytes(StandardCharsets.UTF_8), 0644));
  }

  @Test
  void laysOutFilesLikeTheKubelet() throws Exception {
    SecretVolumeWriter w = writer();
    assertThat(w.write(payload("keyset.json", "v1"))).isTrue();
    Path vol = dir.resolve("vol");

    Path data = vol.resolve("..data");
    assertThat(Files.isSymbolicLink(data)).isTrue();
    String tsName = Files.readSymbolicLink(data).toString();
    assertThat(tsName).matches("\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\.\\d{9}");
    assertThat(Files.isDirectory(vol.resolve(tsName))).isTrue();

    Path visible = vol.resolve("keyset.json");
    assertThat(Files.isSymbolicLink(visible)).isTrue();
    assertThat(Files.readSymbolicLink(visible)).isEqualTo(Path.of("..data", "keyset.json"));
    assertThat(Files.readString(visible)).isEqualTo("v1");
    assertThat(Files.exists(vol.resolve("..data_tmp"))).isFalse();
  }

  @Test
  void anUpdateSwapsDataAndRemovesTheOldVersion() throws Exception {
    SecretVolumeWriter w = writer();
    Path vol = dir.resolve("vol");
    w.write(payload("keyset.json", "v1"));
    Path firstTs = w.currentTsDir().orElseThrow();

    assertThat(w.write(payload("keyset.json", "v2"))).isTrue();

    Path secondTs = w.currentTsDir().orElseThrow();
    assertThat(secondTs).isNotEqualTo(firstTs);
    assertThat(Files.exists(firstTs)).isFalse();
    assertThat(Files.readString(vol.resolve("keyset.json"))).isEqualTo("v2");
    assertThat(timestampedDirs(vol)).containsExactly(secondTs.getFileName().toString());
  }

  @Test
  void theSamePayloadWritesNothing() throws Exception {
    SecretVolumeWriter w = writer();
    w.write(payload("keyset.json", "v1"));
    Path ts = w.currentTsDir().orElseThrow();

    assertThat(w.write(payload("keyset.json", "v1"))).isFalse();
    assertThat(w.currentTsDir()).contains(ts);
  }

  @Test
  void aKeyThatLeavesTheSecretLeavesTheVolume() throws Exception {
    SecretVolumeWriter w = writer();
    Path vol = dir.resolve("vol");
    w.write(Map.of(
        "a", new FilePayload("1".getBytes(StandardCharsets.UTF_8), 0644),
        "b", new FilePayload("2".getBytes(StandardCharsets.UTF_8), 0644)));
    w.write(payload("a", "3"));

    assertThat(Files.exists(vol.resolve("b"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(vol.resolve("a"))).isEqualTo("3");
  }

  @Test
  void pathsThatEscapeTheVolumeAreRefusedAndNothingIsWritten() {
    SecretVolumeWriter w = writer();
    for (String bad : List.of("../x", "/etc/x", "..data", "a/../../x", " ")) {
      assertThatThrownBy(() -> w.write(payload(bad, "x")))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Files.exists(dir.resolve("vol"))).isFalse();
  }

  @Test
  void payloadNeverPrintsItsContent() {
    assertThat(new FilePayload("secret-key".getBytes(StandardCharsets.UTF_8), 0400).toString())
        .doesNotContain("secret-key")
        .contains("10 bytes", "400");
  }

  /**
   * A reader polling the user-visible path during many updates only ever sees one complete
   * version, never a mix: writing the file in place would fail this. As with the real kubelet, a
   * read that resolves {@code ..data} just before the old version's directory is deleted can find
   * no file; that is allowed (readers retry and keep their last good copy), nothing else is.
   */
  @Test
  void readersSeeEveryUpdateAtomically() throws Exception {
    SecretVolumeWriter w = writer();
    Path visible = dir.resolve("vol").resolve("keyset.json");
    int size = 256 * 1024;
    w.write(Map.of("keyset.json", new FilePayload(version('a', size), 0644)));

    AtomicBoolean done = new AtomicBoolean();
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger vanished = new AtomicInteger();
    Thread reader = new Thread(() -> {
      while (!done.get()) {
        try {
          byte[] read = Files.readAllBytes(visible);
          reads.incrementAndGet();
          if (read.length != size || !uniform(read)) {
            problems.add("torn read of " + read.length + " bytes");
          }
        } catch (NoSuchFileException e) {
          vanished.incrementAndGet();
        } catch (Exception e) {
          problems.add(e.toString());
        }
      }
    });
    reader.start();
    for (int i = 1; i <= 40; i++) {
      w.write(Map.of("keyset.json", new FilePayload(version((char) ('a' + i % 26), size), 0644)));
    }
    done.set(true);
    reader.join();

    assertThat(problems).isEmpty();
    assertThat(reads.get()).isPositive().isGreaterThan(vanished.get());
    assertThat(timestampedDirs(dir.resolve("vol"))).hasSize(1);
  }

  private static byte[] version(char c, int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) c);
    return b;
  }

  private static boolean uniform(byte[] b) {
    for (byte x : b) {
      if (x != b[0]) {
        return false;
      }
    }
    return true;
  }

  private static List<String> timestampedDirs(Path vol) throws Exception {
    try (Stream<Path> entries = Files.list(vol)) {
      List<String> names = new ArrayList<>();
      entries.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("..") && !n.equals("..data"))
          .forEach(names::add);
      return names;
    }
  }
}
