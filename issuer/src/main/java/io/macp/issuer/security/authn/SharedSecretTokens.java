package io.macp.issuer.security.authn;

import io.macp.issuer.files.FileContent;
import io.macp.issuer.files.Sha256;
import io.macp.issuer.security.InvalidPolicyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 *
 * <p>One bad file never blocks the others: a badly named file, a malformed token, and every file of
 * a token that two names share are skipped and listed in {@link #problems()}. So a deletion (a
 * revocation) always takes effect, and an empty directory is a valid set that admits no one. Only
 * an unreadable directory is an error.
 */
public final class SharedSecretTokens {
  /** A token file is at most this large; a larger one is skipped unread (a bad token). */
  static final long MAX_FILE_BYTES = 16 * 1024;

  /** Stands for the bytes of a file over {@link #MAX_FILE_BYTES}: never a valid token. */
  private static final byte[] TOO_LARGE = new byte[0];

  /** Shorter tokens are refused: they could be guessed. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** One token: the client it authenticates, and its digest. */
  public record Entry(String name, byte[] digest) {}

  private static final Pattern DATA_KEY =
      Pattern.compile("^[-_a-zA-Z0-9]+(\\.[-._a-zA-Z0-9]+)?$");

  /**
   * A file that was skipped, with a message that names it but never holds a token.
   *
   * @param kind {@link #BAD_NAME}, {@link #BAD_TOKEN} or {@link #DUPLICATE_TOKEN} (a metric label)
   */
  public record Problem(String kind, String message) {
    public static final String BAD_NAME = "bad_name";
    public static final String BAD_TOKEN = "bad_token";
    public static final String DUPLICATE_TOKEN = "duplicate_token";
    public static final String UNREADABLE_DIR = "unreadable_dir";
  }

  private final List<Entry> entries;
  private final List<Problem> problems;
  private final byte[] contentDigest;

  private SharedSecretTokens(List<Entry> entries, List<Problem> problems, byte[] contentDigest) {
    this.entries = List.copyOf(entries);
    this.problems = List.copyOf(problems);
    this.contentDigest = contentDigest;
  }

  /** The usable tokens; empty means every SharedSecret caller is refused. */
  public List<Entry> entries() {
    return entries;
  }

  /** The files that were skipped; the other entries load regardless. */
  public List<Problem> problems() {
    return problems;
  }

  /** Digest over every name and token read: tells whether anything changed. */
  public byte[] contentDigest() {
    return contentDigest.clone();
  }

  /**
   * The set for a directory that could not be read (removed, say): no token at all, so every
   * SharedSecret caller is refused, and one problem carrying {@code why} (which names no token).
   */
  public static SharedSecretTokens unreadable(String why) {
    return new SharedSecretTokens(List.of(), List.of(new Problem(Problem.UNREADABLE_DIR, why
        + ": every token it held is revoked until it can be read again")),
        Sha256.of("unreadable\0" + why));
  }

  public static SharedSecretTokens load(Path dir) throws InvalidPolicyException {
    Map<String, byte[]> raw = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith(".") || !Files.isRegularFile(f)) {
          continue;
        }
        try {
          raw.put(name, FileContent.read(f, MAX_FILE_BYTES).bytes());
        } catch (NoSuchFileException gone) {
          // Removed between the listing and the read (a kubelet swap dropping it): it is gone.
        } catch (FileContent.TooLargeException tooLarge) {
          raw.put(name, TOO_LARGE);
        }
      }
    } catch (IOException e) {
      throw new InvalidPolicyException("cannot read the shared-secret directory " + dir + ": "
          + e.getClass().getSimpleName());
    }
    MessageDigest all = Sha256.newDigest();
    List<Problem> problems = new ArrayList<>();
    Map<String, byte[]> digestByKey = new TreeMap<>();
    Map<String, List<String>> keysByDigest = new HashMap<>();
    for (Map.Entry<String, byte[]> e : raw.entrySet()) {
      String key = e.getKey();
      // Over every file, usable or not, so that fixing or removing a bad one is seen as a change.
      all.update(key.getBytes(StandardCharsets.UTF_8));
      all.update((byte) 0);
      all.update(Sha256.newDigest().digest(e.getValue()));
      if (!DATA_KEY.matcher(key).matches() || key.length() > 253) {
        problems.add(new Problem(Problem.BAD_NAME, "shared-secret file '" + printable(key)
            + "' skipped: name it <client> or <client>.<suffix> with letters, digits, '-', '_'"
            + " (and '.' in the suffix)"));
        continue;
      }
      String token = stripOneNewline(new String(e.getValue(), StandardCharsets.UTF_8));
      if (e.getValue() == TOO_LARGE
          || token.length() < MIN_TOKEN_LENGTH || token.length() > BearerToken.MAX_LENGTH - 7
          || !BearerToken.isB64Token(token)) {
        problems.add(new Problem(Problem.BAD_TOKEN, "shared-secret token '" + key
            + "' skipped: it must be " + MIN_TOKEN_LENGTH + " or more characters from A-Z a-z"
            + " 0-9 - . _ ~ + / (then optional = padding), as sent in a Bearer header"));
        continue;
      }
      byte[] digest = Sha256.of(token);
      digestByKey.put(key, digest);
      keysByDigest.computeIfAbsent(Sha256.hex(digest), d -> new ArrayList<>()).add(key);
    }
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : digestByKey.entrySet()) {
      List<String> sharing = keysByDigest.get(Sha256.hex(e.getValue()));
      if (sharing.size() > 1) {
        // Which client presented it would be ambiguous: neither name may use it.
        problems.add(new Problem(Problem.DUPLICATE_TOKEN, "shared-secret token '" + e.getKey()
            + "' skipped: " + sharing + " hold the same token; give each its own"));
        continue;
      }
      entries.add(new Entry(e.getKey().split("\\.", 2)[0], e.getValue()));
    }
    return new SharedSecretTokens(entries, problems, all.digest());
  }

  /** A file name safe to log: visible ASCII only, and not too long. */
  private static String printable(String key) {
    String shown = key.length() > 64 ? key.substring(0, 64) + "..." : key;
    return shown.replaceAll("[^\\x21-\\x7e]", "?");
  }

  private static String stripOneNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
