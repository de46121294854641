package io.macp.issuer.observe;

import io.macp.issuer.files.FileContent;
import io.macp.issuer.files.PolledValue;
import io.macp.issuer.files.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token {@code GET /verifiers} requires, read from MACP_AUTH_OBSERVER_TOKEN_FILE (a
 * mounted Secret key) by the issuer's one polled-file mechanism ({@link PolledValue}), so a
 * rotated Secret takes effect without a restart. The token is kept only as its SHA-256 and compared
 * in constant time; a missing, unreadable, too large (over {@value #MAX_BYTES} bytes) or too short
 * (under {@value #MIN_LENGTH} characters) file admits nobody: it fails closed, and is never a
 * startup failure (the endpoint is the operator's, the issuer works without it).
 */
public final class ObserverToken implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ObserverToken.class);
  static final int MIN_LENGTH = 16;
  private static final int MAX_BYTES = 4096;

  private final PolledValue<Optional<FileContent>, Optional<byte[]>> file;

  /** Reads the file now; {@link #start} polls it. */
  public ObserverToken(Path path) {
    this.file = new PolledValue<>("observer-token", new TokenFile(path),
        name -> LOG.debug("{}: unreadable, admitting nobody", name),
        digest -> { }, (message, cause) -> new IllegalStateException(message, cause));
  }

  /** Polls the file every {@code interval} on a daemon thread until {@link #close}. */
  public ObserverToken start(Duration interval) {
    file.start(interval);
    return this;
  }

  /** Reads the file once now (what each poll does). */
  void checkNow() {
    file.checkNow();
  }

  /** Whether {@code authorization} (the whole header) is {@code Bearer <the token>}. */
  public boolean admits(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    Optional<byte[]> expected = file.current();
    if (expected.isEmpty()) {
      return false;
    }
    byte[] presented = Sha256.of(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(expected.get(), presented);
  }

  @Override
  public void close() {
    file.close();
  }

  /** The token's digest, or empty (admit nobody) for a file that is absent or unfit. */
  private record TokenFile(Path path) implements PolledValue.Source<Optional<FileContent>, Optional<byte[]>> {
    @Override
    public PolledValue.Snapshot<Optional<FileContent>> read() {
      try {
        FileContent content = FileContent.read(path, MAX_BYTES);
        return new PolledValue.Snapshot<>(Optional.of(content), content.identity());
      } catch (IOException | RuntimeException e) {
        return new PolledValue.Snapshot<>(Optional.empty(), "unreadable:" + e.getClass().getSimpleName());
      }
    }

    @Override
    public Optional<byte[]> build(Optional<FileContent> raw) {
      return raw.map(c -> new String(c.bytes(), StandardCharsets.UTF_8).strip())
          .filter(token -> token.length() >= MIN_LENGTH)
          .map(token -> Sha256.of(token.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
