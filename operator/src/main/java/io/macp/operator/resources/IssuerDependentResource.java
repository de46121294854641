package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/**
 * What every object a {@link MacpIssuer} owns has in common: it is found by a name derived from the
 * issuer (so finding it never builds the desired object, which reads the spec) in the issuer's
 * namespace, and it carries the issuer's owner reference. Subclasses carry
 * {@code @KubernetesDependent(useSSA = FALSE, ...)}: plain create/update instead of server-side
 * apply, so the same code runs against the fabric8 mock server (which has no SSA) and a real API
 * server.
 *
 * @param <R> the managed kind
 */
public abstract class IssuerDependentResource<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, MacpIssuer> {

  protected IssuerDependentResource(Class<R> type) {
    super(type);
  }

  /** The managed object's name for this issuer (one of {@link IssuerNames}). */
  protected abstract String name(MacpIssuer primary);

  @Override
  protected final ResourceID targetSecondaryResourceID(MacpIssuer primary, Context<MacpIssuer> context) {
    return new ResourceID(name(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected final void addReferenceHandlingMetadata(R desired, MacpIssuer primary) {
    IssuerOwnerReference.setOn(desired, primary);
  }
}
