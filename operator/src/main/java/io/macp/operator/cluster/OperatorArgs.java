package io.macp.operator.cluster;

/**
 * The operator's command line.
 *
 * <pre>
 *   --cluster           run against the cluster of the current kubeconfig context (or the
 *                       in-cluster config); without it the operator runs only inside a pod
 *   --health-port N     /healthz, /readyz and /metrics (default 8080)
 * </pre>
 *
 * The embedded cluster is not part of the operator: it is {@code macp-devcluster.jar}.
 *
 * @param cluster {@code --cluster} was given
 * @param healthPort the health/metrics port
 */
public record OperatorArgs(boolean cluster, int healthPort) {
  public static final int DEFAULT_HEALTH_PORT = 8080;

  /** Where the embedded cluster lives now, for anyone who reaches for the old option. */
  public static final String DEVCLUSTER_COMMAND =
      "java -jar devcluster/target/macp-devcluster.jar [MANIFEST...]";

  public static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar macp-operator.jar --cluster [--health-port N]",
          "  --cluster          run against the current kubeconfig context (or in-cluster config);",
          "                     required outside a pod, so the operator never acts on a context",
          "                     it was not told to use. Inside a pod it is implied.",
          "  --health-port N    port of /healthz, /readyz and /metrics (default "
              + DEFAULT_HEALTH_PORT
              + ")",
          "  --help             print this help",
          "The embedded cluster (no Kubernetes needed) is its own jar:",
          "  " + DEVCLUSTER_COMMAND);

  /** Thrown for a command line that can't be run; the message says what is wrong. */
  public static final class UsageException extends Exception {
    private final boolean helpRequested;

    UsageException(String message, boolean helpRequested) {
      super(message);
      this.helpRequested = helpRequested;
    }

    public boolean helpRequested() {
      return helpRequested;
    }
  }

  public static OperatorArgs parse(String... args) throws UsageException {
    boolean cluster = false;
    Integer healthPort = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> throw new UsageException(USAGE, true);
        case "--cluster" -> cluster = true;
        case "--embedded" ->
            throw new UsageException(
                "--embedded is gone: the embedded cluster is its own jar: " + DEVCLUSTER_COMMAND, false);
        case "--health-port" -> {
          if (healthPort != null) {
            throw new UsageException("--health-port is given twice", false);
          }
          if (i + 1 >= args.length) {
            throw new UsageException("--health-port needs a port number", false);
          }
          healthPort = port(args[++i]);
        }
        default -> {
          if (arg.startsWith("--health-port=")) {
            if (healthPort != null) {
              throw new UsageException("--health-port is given twice", false);
            }
            healthPort = port(arg.substring("--health-port=".length()));
          } else if (arg.startsWith("-")) {
            throw new UsageException("unknown option " + arg + "\n" + USAGE, false);
          } else {
            throw new UsageException(
                "the operator takes no files (" + arg + "); to run manifests in the embedded cluster: "
                    + DEVCLUSTER_COMMAND,
                false);
          }
        }
      }
    }
    return new OperatorArgs(cluster, healthPort == null ? DEFAULT_HEALTH_PORT : healthPort);
  }

  private static int port(String text) throws UsageException {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--health-port '" + text + "' is not a port (0-65535)", false);
  }
}
