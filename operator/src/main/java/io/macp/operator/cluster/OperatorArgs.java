package io.macp.operator.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The operator's command line.
 *
 * <pre>
 *   (no mode)           a cluster from the kubeconfig or in-cluster config; embedded mode when
 *                       none is reachable and we are not inside a pod
 *   --cluster           a cluster only, never the embedded fallback (what the install manifests run)
 *   --embedded [FILE..] an in-process API server with the given manifests
 *   --health-port N     /healthz, /readyz and /metrics in cluster mode (default 8080)
 * </pre>
 *
 * @param mode which of the above
 * @param manifestFiles files for embedded mode; empty means the default quickstart manifest
 * @param healthPort the health/metrics port in cluster mode
 */
public record OperatorArgs(Mode mode, List<String> manifestFiles, int healthPort) {
  public static final int DEFAULT_HEALTH_PORT = 8080;

  public enum Mode {
    AUTO,
    CLUSTER,
    EMBEDDED
  }

  public OperatorArgs {
    manifestFiles = List.copyOf(manifestFiles);
  }

  public static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar macp-operator.jar [--cluster | --embedded [FILE...]] [--health-port N]",
          "  (no mode)          run against the current kubeconfig context or in-cluster config;",
          "                     with no reachable cluster (and not in a pod) run embedded mode",
          "  --cluster          run against a cluster only; never fall back to embedded mode",
          "  --embedded [FILE]  run an in-process API server, apply FILEs (default",
          "                     examples/quickstart.yaml) and run the issuers locally",
          "  --health-port N    port of /healthz, /readyz and /metrics in cluster mode (default "
              + DEFAULT_HEALTH_PORT
              + ")",
          "  --help             print this help");

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
    Mode mode = Mode.AUTO;
    List<String> files = new ArrayList<>();
    Integer healthPort = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> throw new UsageException(USAGE, true);
        case "--embedded" -> mode = switchMode(mode, Mode.EMBEDDED);
        case "--cluster" -> mode = switchMode(mode, Mode.CLUSTER);
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
            files.add(arg);
          }
        }
      }
    }
    if (!files.isEmpty() && mode != Mode.EMBEDDED) {
      throw new UsageException(
          "manifest files (" + String.join(", ", files) + ") are only read with --embedded", false);
    }
    if (healthPort != null && mode == Mode.EMBEDDED) {
      throw new UsageException("--health-port is for cluster mode, not --embedded", false);
    }
    return new OperatorArgs(mode, files, healthPort == null ? DEFAULT_HEALTH_PORT : healthPort);
  }

  private static Mode switchMode(Mode current, Mode wanted) throws UsageException {
    if (current != Mode.AUTO && current != wanted) {
      throw new UsageException("--cluster and --embedded exclude each other", false);
    }
    return wanted;
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
