package io.macp.operator.reconciler;

import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import java.util.HashMap;
import java.util.Map;

/**
 * Labels of the objects the reconciler writes itself; their owner references come from {@link
 * io.macp.operator.resources.IssuerOwnerReference}, the same as the dependents'.
 */
final class Ownership {
  private Ownership() {}

  /** Existing labels plus ours (ours win). */
  static Map<String, String> withLabels(Map<String, String> labels, MacpIssuer issuer) {
    Map<String, String> out = labels == null ? new HashMap<>() : new HashMap<>(labels);
    out.putAll(IssuerNames.labels(issuer));
    return out;
  }
}
