package io.macp.operator.cluster;

/**
 * Whether the operator runs, from the command line, whether it is inside a pod and whether a
 * cluster answered. Pure, so the rules are tested without a cluster.
 *
 * <p>Outside a pod the operator runs only with {@code --cluster}: started by hand with no option it
 * would otherwise reconcile whatever the current kubeconfig context points at. Inside a pod the
 * in-cluster config is the one it was deployed to. An API server that does not answer fails the
 * start (inside a pod the kubelet retries).
 *
 * @param run what to do
 * @param message for {@link Run#REFUSE} and {@link Run#FAIL} what to print
 */
public record StartupDecision(Run run, String message) {
  public enum Run {
    /** run against the cluster */
    CLUSTER,
    /** not told to use a cluster: print the usage, exit 2, touch nothing */
    REFUSE,
    /** told to, but no API server answered: exit 1 */
    FAIL
  }

  public static final String NOT_TOLD =
      "not running: no --cluster and not inside a pod (KUBERNETES_SERVICE_HOST is unset), so the "
          + "operator does not act on the current kubeconfig context.\n"
          + OperatorArgs.USAGE;

  /** Probe the cluster only when the operator would run against it. */
  public static boolean needsProbe(OperatorArgs args, boolean insidePod) {
    return args.cluster() || insidePod;
  }

  public static StartupDecision decide(
      OperatorArgs args, boolean insidePod, ClusterProbe.Result probe) {
    if (!needsProbe(args, insidePod)) {
      return new StartupDecision(Run.REFUSE, NOT_TOLD);
    }
    if (probe.reachable()) {
      return new StartupDecision(Run.CLUSTER, null);
    }
    return new StartupDecision(
        Run.FAIL, "no Kubernetes API server reachable: " + probe.description());
  }
}
