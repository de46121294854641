package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/**
 * Reconcile precondition of {@link MintPolicyConfigMapDependentResource}: only when callers must
 * authenticate (SharedSecret or ServiceAccount); with None the pods run without a policy file.
 */
public class MintPolicyWantedCondition implements Condition<ConfigMap, MacpIssuer> {

  @Override
  public boolean isMet(
      DependentResource<ConfigMap, MacpIssuer> dependentResource,
      MacpIssuer primary,
      Context<MacpIssuer> context) {
    return IssuerDependentResource.policy(primary, context).mint().policyWanted();
  }
}
