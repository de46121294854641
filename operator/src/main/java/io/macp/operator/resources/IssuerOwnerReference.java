package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.util.ArrayList;
import java.util.List;

/**
 * The MacpIssuer as controller owner of an object: garbage collection deletes the object with the
 * issuer, and {@code kubectl describe} shows "Controlled By". JOSDK's default reference is not
 * marked controller.
 */
public final class IssuerOwnerReference {
  private IssuerOwnerReference() {}

  public static OwnerReference of(MacpIssuer issuer) {
    return new OwnerReferenceBuilder()
        .withApiVersion(issuer.getApiVersion())
        .withKind(issuer.getKind())
        .withName(issuer.getMetadata().getName())
        .withUid(issuer.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Sets the issuer as controller, keeping owners of other kinds. */
  static void setOn(HasMetadata object, MacpIssuer issuer) {
    object.getMetadata().setOwnerReferences(
        withOwner(object.getMetadata().getOwnerReferences(), issuer, true));
  }

  /** The owner references with this issuer's added (owned) or every MacpIssuer's removed. */
  public static List<OwnerReference> withOwner(
      List<OwnerReference> refs, MacpIssuer issuer, boolean owned) {
    List<OwnerReference> out = new ArrayList<>();
    if (refs != null) {
      refs.stream().filter(r -> !issuer.getKind().equals(r.getKind())).forEach(out::add);
    }
    if (owned) {
      out.add(of(issuer));
    }
    return out;
  }

  /** Whether this issuer (by uid) is among the object's owners. */
  public static boolean isOwnedBy(HasMetadata object, MacpIssuer issuer) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream().anyMatch(r -> issuer.getMetadata().getUid().equals(r.getUid()));
  }
}
