package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/** Reconcile precondition of the PodDisruptionBudget: only for more than one replica. */
public class HasMultipleReplicasCondition implements Condition<PodDisruptionBudget, MacpIssuer> {

  @Override
  public boolean isMet(
      DependentResource<PodDisruptionBudget, MacpIssuer> dependentResource,
      MacpIssuer primary,
      Context<MacpIssuer> context) {
    return IssuerPodDisruptionBudgetBuilder.wanted(IssuerDependentResource.policy(primary, context));
  }
}
