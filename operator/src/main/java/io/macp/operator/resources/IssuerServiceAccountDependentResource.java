package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/**
 * The issuer pods' own ServiceAccount, only in ServiceAccount mode. Register it with {@link
 * ServiceAccountModeCondition} as its reconcile precondition: when that is not met JOSDK deletes
 * it. No server-side apply (see {@link IssuerDeploymentDependentResource}).
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = IssuerNames.MANAGED_SELECTOR))
public class IssuerServiceAccountDependentResource extends IssuerDependentResource<ServiceAccount> {

  public IssuerServiceAccountDependentResource() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(MacpIssuer primary, Context<MacpIssuer> context) {
    return IssuerServiceAccountBuilder.build(primary);
  }

  @Override
  protected String name(MacpIssuer primary) {
    return IssuerNames.issuerServiceAccount(primary);
  }
}
