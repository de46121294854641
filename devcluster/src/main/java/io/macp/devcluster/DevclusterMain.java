package io.macp.devcluster;

import io.macp.keyset.NativeCrypto;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar macp-devcluster.jar [MANIFEST...]}: the embedded cluster (in-process API server,
 * the operator, one in-process issuer per replica) with the given manifests, default {@value
 * EmbeddedRun#DEFAULT_MANIFEST}. Runs until Ctrl-C; see {@link EmbeddedRun}.
 */
public final class DevclusterMain {
  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar macp-devcluster.jar [MANIFEST...]",
          "  runs an in-process Kubernetes API server, applies the MANIFESTs (default "
              + EmbeddedRun.DEFAULT_MANIFEST + ")",
          "  and runs the operator and every issuer replica in this JVM, until Ctrl-C.",
          "  Writes a kubeconfig of its own (0600, removed on exit) and prints the",
          "  export KUBECONFIG=... line for kubectl; your current context is not touched.",
          "  Prints one line per serving replica: issuer <namespace>/<name> <replica> <base URL>");

  private DevclusterMain() {}

  public static void main(String[] args) {
    List<String> files = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(USAGE);
        return;
      }
      if (arg.startsWith("-")) {
        System.err.println("macp-devcluster: unknown option " + arg + "\n" + USAGE);
        System.exit(2);
        return;
      }
      files.add(arg);
    }
    // the in-process issuers sign and the operator generates keys: the native provider speeds both
    if (!"false".equalsIgnoreCase(System.getenv("MACP_AUTH_NATIVE_CRYPTO"))) {
      LoggerFactory.getLogger(DevclusterMain.class).info("crypto provider: {}", NativeCrypto.install());
    }
    System.exit(EmbeddedRun.run(files));
  }
}
