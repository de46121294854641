package io.macp.issuer.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeySetFileSnapshotTest {
  @TempDir Path dir;

  @Test
  void sameSizeAndMtimeButOtherBytesIsAChange() throws Exception {
    Path file = dir.resolve("keyset.json");
    Files.writeString(file, "{\"a\":1}");
    FileTime mtime = Files.getLastModifiedTime(file);
    String before = KeySetFileSnapshot.read(file).identity();

    Files.writeString(file, "{\"a\":2}");
    Files.setLastModifiedTime(file, mtime);

    assertThat(KeySetFileSnapshot.read(file).identity()).isNotEqualTo(before);
  }

  @Test
  void anotherSymlinkTargetWithTheSameBytesIsAChange() throws Exception {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    Files.writeString(a.resolve("keyset.json"), "{}");
    Files.writeString(b.resolve("keyset.json"), "{}");
    Path link = dir.resolve("keyset.json");
    Files.createSymbolicLink(link, a.resolve("keyset.json"));
    String before = KeySetFileSnapshot.read(link).identity();

    Files.delete(link);
    Files.createSymbolicLink(link, b.resolve("keyset.json"));

    assertThat(KeySetFileSnapshot.read(link).identity()).isNotEqualTo(before);
    assertThat(KeySetFileSnapshot.read(link).identity())
        .isEqualTo(KeySetFileSnapshot.read(link).identity());
  }

  @Test
  void aDanglingSymlinkIsMissing() throws Exception {
    Path link = dir.resolve("keyset.json");
    Files.createSymbolicLink(link, dir.resolve("..data/keyset.json"));

    KeySetFileSnapshot snapshot = KeySetFileSnapshot.read(link);

    assertThat(snapshot.loaded()).isFalse();
    assertThat(snapshot.failure()).isEqualTo(ReloadFailure.MISSING);
  }

  @Test
  void anOversizedFileIsInvalidWithoutBeingParsed() throws Exception {
    Path file = dir.resolve("keyset.json");
    Files.write(file, new byte[(int) KeySetFileSnapshot.MAX_BYTES + 1]);

    KeySetFileSnapshot snapshot = KeySetFileSnapshot.read(file);

    assertThat(snapshot.failure()).isEqualTo(ReloadFailure.INVALID);
    assertThat(snapshot.problem()).contains("larger than");
  }
}
