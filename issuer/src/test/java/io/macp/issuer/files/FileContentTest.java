package io.macp.issuer.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity every polled file is compared by: real path and content hash. */
class FileContentTest {
  @TempDir Path dir;

  private String identity(Path file) throws Exception {
    return FileContent.read(file, 1024).identity();
  }

  @Test
  void sameSizeAndMtimeButOtherBytesIsAChange() throws Exception {
    Path file = dir.resolve("keyset.json");
    Files.writeString(file, "{\"a\":1}");
    FileTime mtime = Files.getLastModifiedTime(file);
    String before = identity(file);

    Files.writeString(file, "{\"a\":2}");
    Files.setLastModifiedTime(file, mtime);

    assertThat(identity(file)).isNotEqualTo(before);
  }

  @Test
  void anotherSymlinkTargetWithTheSameBytesIsAChange() throws Exception {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    Files.writeString(a.resolve("keyset.json"), "{}");
    Files.writeString(b.resolve("keyset.json"), "{}");
    Path link = dir.resolve("keyset.json");
    Files.createSymbolicLink(link, a.resolve("keyset.json"));
    String before = identity(link);

    Files.delete(link);
    Files.createSymbolicLink(link, b.resolve("keyset.json"));

    assertThat(identity(link)).isNotEqualTo(before);
    assertThat(identity(link)).isEqualTo(identity(link));
  }

  @Test
  void aDanglingSymlinkIsMissingAndAnOversizedFileIsNotRead() throws Exception {
    Path link = dir.resolve("keyset.json");
    Files.createSymbolicLink(link, dir.resolve("..data/keyset.json"));
    assertThatThrownBy(() -> FileContent.read(link, 1024)).isInstanceOf(NoSuchFileException.class);

    Path big = dir.resolve("big.json");
    Files.write(big, new byte[1025]);
    assertThatThrownBy(() -> FileContent.read(big, 1024))
        .isInstanceOf(FileContent.TooLargeException.class)
        .hasMessageContaining("larger than 1024 bytes");
  }

  @Test
  void theIdentityOfAWrittenFileIsTheOneAReadSees() throws Exception {
    Path file = dir.resolve("keyset.json");
    Files.writeString(file, "{}");
    assertThat(FileContent.identity(file.toRealPath(), "{}".getBytes())).isEqualTo(identity(file));
  }
}
