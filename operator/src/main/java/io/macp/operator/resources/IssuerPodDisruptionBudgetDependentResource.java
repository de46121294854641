package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/**
 * The issuer's PodDisruptionBudget. Register it with {@link HasMultipleReplicasCondition} as its
 * reconcile precondition: when that is not met JOSDK deletes this dependent (it is a Deleter), so
 * scaling down to one replica removes the budget.
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = IssuerNames.MANAGED_SELECTOR))
public class IssuerPodDisruptionBudgetDependentResource
    extends IssuerDependentResource<PodDisruptionBudget> {

  public IssuerPodDisruptionBudgetDependentResource() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(MacpIssuer primary, Context<MacpIssuer> context) {
    return IssuerPodDisruptionBudgetBuilder.build(primary);
  }

  @Override
  protected String name(MacpIssuer primary) {
    return IssuerNames.deployment(primary);
  }
}
