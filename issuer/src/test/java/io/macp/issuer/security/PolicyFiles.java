package io.macp.issuer.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes policy and token files the way the kubelet updates a mounted Secret or ConfigMap: the
 * visible names are symlinks into {@code ..data}, itself a symlink swapped atomically.
 */
public final class PolicyFiles {
  private final Path dir;
  private int generation;

  public PolicyFiles(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Replaces the whole content of the mount with these files. */
  public void publish(Map<String, String> files) throws IOException {
    Path gen = dir.resolve("..gen_" + (++generation));
    Files.createDirectories(gen);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(gen.resolve(f.getKey()), f.getValue());
    }
    Path tmp = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, gen.getFileName());
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    for (String name : files.keySet()) {
      Path link = dir.resolve(name);
      if (!Files.isSymbolicLink(link)) {
        Files.createSymbolicLink(link, Path.of("..data").resolve(name));
      }
    }
    try (var entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (!name.startsWith("..") && !files.containsKey(name)) {
          Files.delete(p);
        }
      }
    }
  }
}
