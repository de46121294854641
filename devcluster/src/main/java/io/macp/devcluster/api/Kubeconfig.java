package io.macp.devcluster.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The kubeconfig of the embedded cluster: one cluster, context and user, all named
 * {@value #CONTEXT}, no credentials (the embedded API server has no authentication). Written to a
 * new file readable by its owner only (0600, in a 0700 directory), never merged into
 * {@code ~/.kube/config}: the user's own contexts are not touched.
 */
public final class Kubeconfig {
  public static final String CONTEXT = "macp-embedded";

  private Kubeconfig() {}

  /** The YAML text for a server URL such as http://127.0.0.1:34567. */
  public static String yaml(String server, String namespace) {
    return String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: " + CONTEXT,
        "  cluster:",
        "    server: " + server,
        "contexts:",
        "- name: " + CONTEXT,
        "  context:",
        "    cluster: " + CONTEXT,
        "    user: " + CONTEXT,
        "    namespace: " + namespace,
        "current-context: " + CONTEXT,
        "users:",
        "- name: " + CONTEXT,
        "  user: {}",
        "");
  }

  /**
   * Writes {@code kubeconfig} into a new directory under {@code parent} (created 0700), the file
   * created 0600 before any byte is written.
   *
   * @return the file
   */
  public static Path write(Path parent, String server, String namespace) throws IOException {
    Files.createDirectories(parent);
    boolean posix = parent.getFileSystem().supportedFileAttributeViews().contains("posix");
    Path dir = posix
        ? Files.createTempDirectory(parent, "macp-kubeconfig-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
        : Files.createTempDirectory(parent, "macp-kubeconfig-");
    Path file = dir.resolve("kubeconfig");
    if (posix) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          Set.copyOf(PosixFilePermissions.fromString("rw-------"))));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, yaml(server, namespace));
    return file;
  }
}
