package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;

/**
 * What every object a {@link MacpIssuer} owns has in common: it is found by a name derived from the
 * issuer (so finding it never builds the desired object) in the issuer's
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

  /**
   * The spec as validated once by this reconcile ({@link IssuerPolicy}, put in the context by the
   * reconciler): what every {@code desired()} and every reconcile precondition reads, never the
   * spec. Validated here only when there is no reconcile (a test calling {@code desired}).
   *
   * @throws IllegalArgumentException in that case, listing the problems of an invalid spec
   */
  protected static IssuerPolicy policy(MacpIssuer primary, Context<MacpIssuer> context) {
    if (context != null) {
      var parsed = context.managedWorkflowAndDependentResourceContext()
          .get(IssuerPolicy.KEY, IssuerPolicy.class);
      if (parsed.isPresent()) {
        return parsed.get();
      }
    }
    return IssuerSpecValidator.policyOf(primary);
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
