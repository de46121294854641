package io.macp.issuer.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The named bearer tokens of mode SharedSecret, read from a directory laid out like a mounted
 * Secret: each file (Secret data key) holds one token (one trailing newline is ignored). The key is
 * the client name, optionally followed by {@code .} and a rotation suffix: {@code orchestrator}
 * and {@code orchestrator.next} are two valid tokens of client {@code orchestrator}, so a token is
 * rotated by adding the new key, moving the client over, then deleting the old key. Names starting
 * with {@code .} are skipped (the kubelet's {@code ..data} links). Only SHA-256 digests are kept.
 */
public final class SharedSecretTokens {
  /** Shorter tokens are refused: they could be guessed. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** One token: the client it authenticates, and its digest. */
  public record Entry(String name, byte[] digest) {}

  private static final Pattern DATA_KEY =
      Pattern.compile("^[-_a-zA-Z0-9]+(\\.[-._a-zA-Z0-9]+)?$");

  private final List<Entry> entries;
  private final byte[] contentDigest;

  private SharedSecretTokens(List<Entry> entries, byte[] contentDigest) {
    this.entries = List.copyOf(entries);
    this.contentDigest = contentDigest;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** Digest over every name and token read: tells whether anything changed. */
  public byte[] contentDigest() {
    return contentDigest.clone();
  }

  public static SharedSecretTokens load(Path dir) throws InvalidPolicyException {
    Map<String, byte[]> raw = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith(".") || !Files.isRegularFile(f)) {
          continue;
        }
        raw.put(name, Files.readAllBytes(f));
      }
    } catch (IOException e) {
      throw new InvalidPolicyException("cannot read the shared-secret directory " + dir + ": "
          + e.getClass().getSimpleName());
    }
    if (raw.isEmpty()) {
      throw new InvalidPolicyException("the shared-secret directory " + dir + " holds no tokens");
    }
    MessageDigest all = Sha256.newDigest();
    List<Entry> entries = new ArrayList<>();
    Map<String, String> nameByDigest = new HashMap<>();
    for (Map.Entry<String, byte[]> e : raw.entrySet()) {
      String key = e.getKey();
      if (!DATA_KEY.matcher(key).matches() || key.length() > 253) {
        throw new InvalidPolicyException("shared-secret file '" + key + "': name it <client> or"
            + " <client>.<suffix> with letters, digits, '-', '_' (and '.' in the suffix)");
      }
      String name = key.split("\\.", 2)[0];
      String token = stripOneNewline(new String(e.getValue(), StandardCharsets.UTF_8));
      if (token.length() < MIN_TOKEN_LENGTH || token.length() > BearerToken.MAX_LENGTH - 7
          || !BearerToken.isB64Token(token)) {
        throw new InvalidPolicyException("shared-secret token '" + key + "' must be "
            + MIN_TOKEN_LENGTH + " or more characters from A-Z a-z 0-9 - . _ ~ + / (then optional"
            + " = padding), as sent in a Bearer header");
      }
      byte[] digest = Sha256.of(token);
      String other = nameByDigest.put(Sha256.hex(digest), key);
      if (other != null) {
        throw new InvalidPolicyException(
            "shared-secret tokens '" + other + "' and '" + key + "' are equal; give each its own");
      }
      all.update(key.getBytes(StandardCharsets.UTF_8));
      all.update((byte) 0);
      all.update(digest);
      entries.add(new Entry(name, digest));
    }
    return new SharedSecretTokens(entries, all.digest());
  }

  private static String stripOneNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
