package io.macp.operator.scope;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where the operator's own pods run and how they are labelled: the peer an issuer's NetworkPolicy
 * admits to the mint port while the activation gate reads {@code GET /verifiers} there
 * (docs/verifiers.md). The labels are the pod template's of deploy/operator.yaml
 * (InstallManifestsTest keeps them equal).
 *
 * @param namespace the operator's namespace: {@code POD_NAMESPACE} (downward API, set by deploy/)
 *     or, out of a pod, {@value #DEFAULT_NAMESPACE}, the installed operator's namespace
 * @param podLabels labels every operator pod carries
 */
public record OperatorPods(String namespace, Map<String, String> podLabels) {
  /** Where the reconciler puts it in the JOSDK context for the NetworkPolicy dependent. */
  public static final String KEY = OperatorPods.class.getName();
  /** The downward-API variable deploy/operator.yaml sets to the pod's namespace. */
  public static final String NAMESPACE_ENV = "POD_NAMESPACE";
  /** The installed operator's namespace (deploy/namespace.yaml). */
  public static final String DEFAULT_NAMESPACE = "macp-system";
  /** The operator pod template's selecting label (deploy/operator.yaml). */
  public static final Map<String, String> POD_LABELS =
      Map.of("app.kubernetes.io/name", "macp-issuer-operator");

  public OperatorPods {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("the operator's namespace is required");
    }
    if (podLabels == null || podLabels.isEmpty()) {
      // an empty pod selector would admit every pod of that namespace
      throw new IllegalArgumentException("the operator's pod labels are required");
    }
    podLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(podLabels));
  }

  /** From the process environment: {@value #NAMESPACE_ENV}, else {@value #DEFAULT_NAMESPACE}. */
  public static OperatorPods fromEnv(Map<String, String> env) {
    String ns = env.get(NAMESPACE_ENV);
    return new OperatorPods(ns == null || ns.isBlank() ? DEFAULT_NAMESPACE : ns.strip(),
        POD_LABELS);
  }
}
