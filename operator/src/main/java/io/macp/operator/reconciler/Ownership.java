package io.macp.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.macp.operator.model.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Owner references and labels of the objects the reconciler writes itself. */
final class Ownership {
  private Ownership() {}

  static OwnerReference ownerReference(MacpIssuer issuer) {
    return new OwnerReferenceBuilder()
        .withApiVersion(issuer.getApiVersion())
        .withKind(issuer.getKind())
        .withName(issuer.getMetadata().getName())
        .withUid(issuer.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  static boolean isOwnedBy(HasMetadata object, MacpIssuer issuer) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream().anyMatch(r -> issuer.getMetadata().getUid().equals(r.getUid()));
  }

  /** The owner references with this issuer's added (owned) or every MacpIssuer's removed. */
  static List<OwnerReference> withOwner(List<OwnerReference> refs, MacpIssuer issuer, boolean owned) {
    List<OwnerReference> out = new ArrayList<>();
    if (refs != null) {
      for (OwnerReference r : refs) {
        if (!issuer.getKind().equals(r.getKind())) {
          out.add(r);
        }
      }
    }
    if (owned) {
      out.add(ownerReference(issuer));
    }
    return out;
  }

  /** Existing labels plus ours (ours win). */
  static Map<String, String> withLabels(Map<String, String> labels, MacpIssuer issuer) {
    Map<String, String> out = labels == null ? new HashMap<>() : new HashMap<>(labels);
    out.putAll(IssuerNames.labels(issuer));
    return out;
  }
}
