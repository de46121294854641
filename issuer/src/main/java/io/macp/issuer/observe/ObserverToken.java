package io.macp.issuer.observe;

import io.macp.issuer.files.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The bearer token {@code GET /verifiers} requires, read from MACP_AUTH_OBSERVER_TOKEN_FILE (a
 * mounted Secret key). The file is read again at most once per {@link #RECHECK}, so a rotated
 * Secret takes effect without a restart and a flood of requests reads it no more often. The token
 * is kept only as its SHA-256 and compared in constant time; a missing, unreadable or too short
 * file (under {@value #MIN_LENGTH} characters) admits nobody: it fails closed.
 */
public final class ObserverToken {
  static final Duration RECHECK = Duration.ofSeconds(1);
  static final int MIN_LENGTH = 16;
  private static final int MAX_BYTES = 4096;

  private final Path file;
  private final Clock clock;
  private Instant readAt;
  private byte[] digest;

  public ObserverToken(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Whether {@code authorization} (the whole header) is {@code Bearer <the token>}. */
  public boolean admits(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] expected = current();
    if (expected == null) {
      return false;
    }
    byte[] presented = Sha256.of(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(expected, presented);
  }

  private synchronized byte[] current() {
    Instant now = clock.instant();
    if (readAt == null || !now.isBefore(readAt.plus(RECHECK)) || now.isBefore(readAt)) {
      readAt = now;
      digest = read();
    }
    return digest;
  }

  private byte[] read() {
    try {
      if (Files.size(file) > MAX_BYTES) {
        return null;
      }
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      return token.length() < MIN_LENGTH ? null : Sha256.of(token.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
