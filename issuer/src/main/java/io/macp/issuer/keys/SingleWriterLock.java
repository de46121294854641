package io.macp.issuer.keys;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * An exclusive OS lock on {@code .<file>.lock} next to a self-managed key-set file. Two issuers
 * rotating one file would each mint a first key and sign with it, and the one whose write loses
 * would have issued tokens nobody can verify; so the second one refuses to start.
 */
final class SingleWriterLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private SingleWriterLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static SingleWriterLock acquire(Path keySetFile) throws IOException {
    Path absolute = keySetFile.toAbsolutePath();
    Path dir = absolute.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.DIR_MODE));
    }
    Path lockFile = dir.resolve("." + absolute.getFileName() + ".lock");
    FileChannel channel = FileChannel.open(lockFile,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.FILE_MODE));
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another source in this JVM
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("another issuer already manages key-set file " + keySetFile
          + " (" + lockFile + " is locked); run one self-managed issuer per key-set file and let"
          + " other replicas read it with MACP_AUTH_KEYSET_SELF_MANAGED=false");
    }
    return new SingleWriterLock(channel, lock);
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // Closing the channel (or the process exiting) frees the lock anyway.
    }
  }
}
