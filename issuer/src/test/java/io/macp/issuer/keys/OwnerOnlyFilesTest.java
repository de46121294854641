package io.macp.issuer.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {
  @TempDir Path dir;

  @Test
  void replacesAWorldReadableFileWithAnOwnerOnlyOne() throws Exception {
    Path file = dir.resolve("keyset.json");
    Files.writeString(file, "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(OwnerOnlyFiles.readableByOthers(file)).isTrue();

    OwnerOnlyFiles.writeAtomically(file, "new".getBytes());

    assertThat(Files.readString(file)).isEqualTo("new");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(OwnerOnlyFiles.readableByOthers(file)).isFalse();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void writesThroughASymlinkInsteadOfReplacingIt() throws Exception {
    Path real = Files.createDirectory(dir.resolve("data")).resolve("keyset.json");
    Files.writeString(real, "old");
    Path link = dir.resolve("keyset.json");
    Files.createSymbolicLink(link, real);

    Path written = OwnerOnlyFiles.writeAtomically(link, "new".getBytes());

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(written).isEqualTo(real.toRealPath());
    assertThat(Files.readString(real)).isEqualTo("new");
  }

  @Test
  void createsMissingDirectoriesOwnerOnly() throws Exception {
    Path file = dir.resolve("state").resolve("keyset.json");

    OwnerOnlyFiles.writeAtomically(file, "x".getBytes());

    assertThat(Files.getPosixFilePermissions(file.getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }
}
