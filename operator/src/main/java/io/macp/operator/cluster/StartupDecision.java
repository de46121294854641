package io.macp.operator.cluster;

import io.macp.operator.embedded.EmbeddedRun;
import java.util.List;

/**
 * What the operator runs, from the command line and whether a cluster answered. Pure, so the
 * fallback rules are tested without a cluster.
 *
 * <p>Inside a pod the operator never falls back to embedded mode: an API server that is briefly
 * unreachable must crash the pod (and be retried by the kubelet), not start a fake cluster.
 *
 * @param run what to run
 * @param manifestFiles manifests for embedded mode
 * @param message for {@link Run#FAIL} the reason; for a fallback the one line to print
 */
public record StartupDecision(Run run, List<String> manifestFiles, String message) {
  public static final String DEFAULT_MANIFEST = EmbeddedRun.DEFAULT_MANIFEST;

  public enum Run {
    CLUSTER,
    EMBEDDED,
    FAIL
  }

  public StartupDecision {
    manifestFiles = List.copyOf(manifestFiles);
  }

  /** Embedded mode needs no probe; the other modes need its result. */
  public static boolean needsProbe(OperatorArgs args) {
    return args.mode() != OperatorArgs.Mode.EMBEDDED;
  }

  public static StartupDecision decide(
      OperatorArgs args, boolean insidePod, ClusterProbe.Result probe) {
    if (args.mode() == OperatorArgs.Mode.EMBEDDED) {
      List<String> files = args.manifestFiles().isEmpty() ? List.of(DEFAULT_MANIFEST) : args.manifestFiles();
      return new StartupDecision(Run.EMBEDDED, files, null);
    }
    if (probe.reachable()) {
      return new StartupDecision(Run.CLUSTER, List.of(), null);
    }
    if (args.mode() == OperatorArgs.Mode.CLUSTER || insidePod) {
      return new StartupDecision(
          Run.FAIL, List.of(), "no Kubernetes API server reachable: " + probe.description());
    }
    return new StartupDecision(
        Run.EMBEDDED,
        List.of(DEFAULT_MANIFEST),
        "No Kubernetes cluster reachable (" + probe.description() + "); starting embedded mode with "
            + DEFAULT_MANIFEST);
  }
}
