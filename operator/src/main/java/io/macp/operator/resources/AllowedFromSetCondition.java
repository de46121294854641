package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/**
 * Reconcile precondition of {@link IssuerNetworkPolicyDependentResource}: only when {@code
 * spec.mint.allowedFrom} lists peers.
 */
public class AllowedFromSetCondition implements Condition<NetworkPolicy, MacpIssuer> {

  @Override
  public boolean isMet(
      DependentResource<NetworkPolicy, MacpIssuer> dependentResource,
      MacpIssuer primary,
      Context<MacpIssuer> context) {
    return IssuerNetworkPolicyBuilder.wanted(IssuerDependentResource.policy(primary, context));
  }
}
