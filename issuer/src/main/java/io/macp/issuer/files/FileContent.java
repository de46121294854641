package io.macp.issuer.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One read of a polled file, by its real path: every symlink resolved first, so a Kubernetes
 * {@code ..data} swap of a mounted Secret or ConfigMap gives a new identity even when size and
 * modification time look the same. {@link #identity()} is the real path and the SHA-256 of the
 * bytes: it changes exactly when what the file resolves to or what it holds changes.
 *
 * @param realPath the file with every symlink resolved
 * @param bytes what it held
 */
public record FileContent(Path realPath, byte[] bytes) {
  private static final int READ_ATTEMPTS = 3;

  /** The file is larger than the caller's bound; its bytes were not read. */
  public static final class TooLargeException extends IOException {
    public TooLargeException(Path file, long maxBytes) {
      super(file + " is larger than " + maxBytes + " bytes");
    }
  }

  /**
   * Resolves the real path and reads it, at most {@code maxBytes}.
   *
   * @throws NoSuchFileException the file (or a link on the way) does not exist
   * @throws TooLargeException it is larger than {@code maxBytes}
   * @throws IOException it can't be read; the exception's class names the cause
   */
  public static FileContent read(Path file, long maxBytes) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path real = file.toRealPath();
      try {
        if (Files.size(real) > maxBytes) {
          throw new TooLargeException(file, maxBytes);
        }
        return new FileContent(real, Files.readAllBytes(real));
      } catch (NoSuchFileException e) {
        // The kubelet deletes the old timestamped dir right after the ..data swap: resolve again.
        if (attempt == READ_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** The real path and the SHA-256 of the bytes. */
  public String identity() {
    return identity(realPath, bytes);
  }

  /** The identity of a file whose real path and bytes are known, e.g. one just written. */
  public static String identity(Path realPath, byte[] bytes) {
    return realPath + "#sha256=" + Sha256.hex(Sha256.of(bytes));
  }
}
