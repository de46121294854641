package io.macp.issuer.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes private files so that a reader sees either the old or the new content, never a torn one,
 * and nobody but the owner can read them: a temp file in the same directory created with mode 0600,
 * fsync, atomic rename over the target, fsync of the directory.
 */
final class OwnerOnlyFiles {
  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

  private OwnerOnlyFiles() {}

  /** Writes atomically and returns the real path written. */
  static Path writeAtomically(Path target, byte[] bytes) throws IOException {
    // Write through a symlinked target rather than replacing the link itself.
    Path real = Files.exists(target) ? target.toRealPath() : target.toAbsolutePath();
    Path dir = real.getParent();
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
      } else {
        Files.createDirectories(dir);
      }
    }
    String prefix = "." + real.getFileName() + ".";
    Path tmp = posix
        ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE))
        : Files.createTempFile(dir, prefix, ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, real, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    syncDirectory(dir);
    return real.toRealPath();
  }

  /** Whether group or others may read the file: worth a warning for a file of private keys. */
  static boolean readableByOthers(Path file) {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      return mode.contains(PosixFilePermission.GROUP_READ)
          || mode.contains(PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Makes the rename durable; not every file system can sync a directory, so best effort. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // The data itself was synced; only the rename may be lost on a crash of such a file system.
    }
  }
}
