package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.macp.operator.model.MacpIssuer;

/**
 * The issuer's PodDisruptionBudget. Register it with {@link HasMultipleReplicasCondition} as its
 * reconcile precondition: when that is not met JOSDK deletes this dependent (it is a Deleter), so
 * scaling down to one replica removes the budget.
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = IssuerNames.MANAGED_SELECTOR))
public class IssuerPodDisruptionBudgetResource
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, MacpIssuer> {

  public IssuerPodDisruptionBudgetResource() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(MacpIssuer primary, Context<MacpIssuer> context) {
    return IssuerPodDisruptionBudgetBuilder.build(primary);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(MacpIssuer primary, Context<MacpIssuer> context) {
    return new ResourceID(IssuerNames.deployment(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(PodDisruptionBudget desired, MacpIssuer primary) {
    IssuerOwnerReference.setOn(desired, primary);
  }
}
