package io.macp.devcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes a Secret volume into a directory the way the kubelet's atomic writer does, so the issuer
 * reads files laid out exactly as in a pod:
 *
 * <pre>
 * dir/..2026_11_23_12_00_00.123456789/keyset.json   the payload of one version
 * dir/..data -> ..2026_11_23_12_00_00.123456789     swapped atomically on every change
 * dir/keyset.json -> ..data/keyset.json             user-visible path, never rewritten
 * </pre>
 *
 * An update writes a new timestamped directory, points a {@code ..data_tmp} symlink at it, renames
 * that over {@code ..data} (one rename(2): readers see the old or the new version, never a mix),
 * then removes paths that left the payload and the old timestamped directory. As with the kubelet,
 * a reader that resolved {@code ..data} just before that removal may find no file and must retry.
 * Used for ConfigMap volumes too: the kubelet writes both the same way.
 */
public final class SecretVolumeWriter {
  static final String DATA_DIR = "..data";
  static final String DATA_DIR_TMP = "..data_tmp";
  private static final DateTimeFormatter TS_FORMAT =
      DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.").withZone(ZoneOffset.UTC);

  /** One projected file: its bytes and its permission bits (e.g. 0644). */
  public record FilePayload(byte[] content, int mode) {
    public FilePayload {
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FilePayload other && mode == other.mode && Arrays.equals(content, other.content);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(content) + mode;
    }

    /** Never prints the content: it is key material. */
    @Override
    public String toString() {
      return "FilePayload[" + content.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
  }

  private final Path targetDir;
  private final Clock clock;

  public SecretVolumeWriter(Path targetDir, Clock clock) {
    this.targetDir = targetDir;
    this.clock = clock;
  }

  public Path targetDir() {
    return targetDir;
  }

  /**
   * Projects the payload (relative path -> file). Returns false and touches nothing when the
   * current version already holds exactly this payload.
   *
   * @throws IllegalArgumentException for a path that is absolute, empty, or escapes the volume
   */
  public synchronized boolean write(Map<String, FilePayload> payload) {
    Map<String, FilePayload> clean = new LinkedHashMap<>();
    payload.forEach((path, file) -> clean.put(validated(path), file));
    try {
      Files.createDirectories(targetDir);
      Optional<Path> oldTsDir = currentTsDir();
      if (oldTsDir.isPresent() && holdsExactly(oldTsDir.get(), clean)) {
        return false;
      }
      Path tsDir = newTsDir();
      for (Map.Entry<String, FilePayload> e : clean.entrySet()) {
        Path file = tsDir.resolve(e.getKey());
        Files.createDirectories(file.getParent());
        Files.write(file, e.getValue().content());
        setMode(file, e.getValue().mode());
      }
      Path dataTmp = targetDir.resolve(DATA_DIR_TMP);
      Files.deleteIfExists(dataTmp);
      Files.createSymbolicLink(dataTmp, tsDir.getFileName());
      Files.move(dataTmp, targetDir.resolve(DATA_DIR), StandardCopyOption.ATOMIC_MOVE);

      Set<String> visible = topLevelNames(clean.keySet());
      for (String name : visible) {
        Path link = targetDir.resolve(name);
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
          Files.createSymbolicLink(link, Path.of(DATA_DIR, name));
        }
      }
      removeVisiblePathsNotIn(visible);
      if (oldTsDir.isPresent()) {
        deleteRecursively(oldTsDir.get());
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot project the secret volume into " + targetDir, e);
    }
  }

  /** The timestamped directory {@code ..data} points at, if any. */
  public Optional<Path> currentTsDir() throws IOException {
    Path data = targetDir.resolve(DATA_DIR);
    if (!Files.isSymbolicLink(data)) {
      return Optional.empty();
    }
    return Optional.of(targetDir.resolve(Files.readSymbolicLink(data)));
  }

  private static String validated(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("a secret volume path must not be empty");
    }
    Path p = Path.of(path);
    if (p.isAbsolute()) {
      throw new IllegalArgumentException("secret volume path '" + path + "' must be relative");
    }
    for (Path part : p) {
      if (part.toString().equals("..") || part.toString().startsWith("..")) {
        throw new IllegalArgumentException(
            "secret volume path '" + path + "' must not contain '..' or start an element with '..'");
      }
    }
    return p.normalize().toString();
  }

  private boolean holdsExactly(Path tsDir, Map<String, FilePayload> payload) throws IOException {
    if (!Files.isDirectory(tsDir)) {
      return false;
    }
    Set<String> present = new HashSet<>();
    try (var files = Files.walk(tsDir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        present.add(tsDir.relativize(f).toString());
      }
    }
    if (!present.equals(payload.keySet())) {
      return false;
    }
    for (Map.Entry<String, FilePayload> e : payload.entrySet()) {
      if (!Arrays.equals(Files.readAllBytes(tsDir.resolve(e.getKey())), e.getValue().content())) {
        return false;
      }
    }
    return true;
  }

  private Path newTsDir() throws IOException {
    var now = clock.instant();
    String prefix = TS_FORMAT.format(now);
    long suffix = now.getNano();
    while (true) {
      Path dir = targetDir.resolve(prefix + String.format("%09d", suffix % 1_000_000_000L));
      try {
        return Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        suffix++; // two writes within one clock tick: like TempDir, pick another name
      }
    }
  }

  private static Set<String> topLevelNames(Set<String> paths) {
    Set<String> names = new TreeSet<>();
    for (String p : paths) {
      names.add(Path.of(p).getName(0).toString());
    }
    return names;
  }

  private void removeVisiblePathsNotIn(Set<String> visible) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(targetDir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.startsWith("..") && !visible.contains(name) && Files.isSymbolicLink(entry)) {
          Files.delete(entry);
        }
      }
    }
  }

  private static void setMode(Path file, int mode) throws IOException {
    if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
      return;
    }
    Set<PosixFilePermission> perms = new HashSet<>();
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    // The simulator must read its own files back, whatever mode the volume asks for.
    perms.add(PosixFilePermission.OWNER_READ);
    Files.setPosixFilePermissions(file, perms);
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        for (Path entry : entries) {
          deleteRecursively(entry);
        }
      }
    }
    Files.deleteIfExists(path);
  }
}
