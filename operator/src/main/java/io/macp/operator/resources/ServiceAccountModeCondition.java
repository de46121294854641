package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/**
 * Reconcile precondition of {@link IssuerServiceAccountDependentResource}: only in ServiceAccount mode.
 */
public class ServiceAccountModeCondition implements Condition<ServiceAccount, MacpIssuer> {

  @Override
  public boolean isMet(
      DependentResource<ServiceAccount, MacpIssuer> dependentResource,
      MacpIssuer primary,
      Context<MacpIssuer> context) {
    return IssuerServiceAccountBuilder.wanted(IssuerDependentResource.policy(primary, context));
  }
}
