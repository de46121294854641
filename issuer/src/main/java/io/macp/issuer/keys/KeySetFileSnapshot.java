package io.macp.issuer.keys;

import io.macp.issuer.files.FileContent;
import io.macp.keyset.InvalidKeySetException;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * What a key-set file held when it was read: either a parsed key set or the reason it could not
 * be used. {@link #identity()} changes whenever the resolved file or its bytes change, which is how
 * a Kubernetes {@code ..data} symlink swap is noticed even when size and mtime stay the same.
 * Nothing here ever carries file contents into a message.
 */
final class KeySetFileSnapshot {
  /** A key set with a few RSA-4096 keys is tens of KiB; anything this big is not one. */
  static final long MAX_BYTES = 1024 * 1024;

  private final String identity;
  private final KeySet keySet;
  private final ReloadFailure failure;
  private final String problem;

  private KeySetFileSnapshot(String identity, KeySet keySet, ReloadFailure failure, String problem) {
    this.identity = identity;
    this.keySet = keySet;
    this.failure = failure;
    this.problem = problem;
  }

  /** Resolves every symlink and reads the file ({@link FileContent}); never throws. */
  static KeySetFileSnapshot read(Path file) {
    FileContent content;
    try {
      content = FileContent.read(file, MAX_BYTES);
    } catch (NoSuchFileException e) {
      return failed("missing", ReloadFailure.MISSING, "key-set file " + file + " does not exist");
    } catch (FileContent.TooLargeException e) {
      return failed("too-large:" + file, ReloadFailure.INVALID,
          "key-set file " + file + " is larger than " + MAX_BYTES + " bytes");
    } catch (IOException e) {
      return unreadable(file, e);
    }
    String identity = content.identity();
    try {
      return new KeySetFileSnapshot(identity, KeySetJson.parse(content.bytes()), null, null);
    } catch (InvalidKeySetException e) {
      // InvalidKeySetException messages never hold key material (keyset module contract).
      return failed(identity, ReloadFailure.INVALID,
          "key-set file " + file + " is not a valid key set: " + e.getMessage());
    }
  }

  /** The identity of a file whose real path and bytes are known, e.g. one just written. */
  static String identity(Path realPath, byte[] bytes) {
    return FileContent.identity(realPath, bytes);
  }

  /** Why a parsed key set can't be used yet; shared so both file sources say it alike. */
  static String noSignerProblem(Path file, Instant now) {
    return "key-set file " + file + " has no key that may sign at " + now;
  }

  private static KeySetFileSnapshot unreadable(Path file, IOException e) {
    // The exception class names the cause (AccessDeniedException, ...); its message is a path.
    return failed("unreadable:" + file + ":" + e.getClass().getSimpleName(), ReloadFailure.UNREADABLE,
        "key-set file " + file + " can't be read (" + e.getClass().getSimpleName() + ")");
  }

  private static KeySetFileSnapshot failed(String identity, ReloadFailure failure, String problem) {
    return new KeySetFileSnapshot(identity, null, failure, problem);
  }

  /** Changes when the resolved path or the content changes; equal for the same failure. */
  String identity() {
    return identity;
  }

  boolean loaded() {
    return keySet != null;
  }

  /** The parsed key set, or null when {@link #failure()} is set. */
  KeySet keySet() {
    return keySet;
  }

  ReloadFailure failure() {
    return failure;
  }

  /** Why the file can't be used, for logs and the listener; null when loaded. */
  String problem() {
    return problem;
  }

  boolean sameAs(String otherIdentity) {
    return Objects.equals(identity, otherIdentity);
  }
}
