package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.macp.operator.model.MacpIssuer;

/**
 * The issuer pods' own ServiceAccount, only in ServiceAccount mode. Register it with {@link
 * ServiceAccountModeCondition} as its reconcile precondition: when that is not met JOSDK deletes
 * it. No server-side apply (see {@link IssuerDeploymentResource}).
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = IssuerNames.MANAGED_SELECTOR))
public class IssuerServiceAccountResource extends CRUDKubernetesDependentResource<ServiceAccount, MacpIssuer> {

  public IssuerServiceAccountResource() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(MacpIssuer primary, Context<MacpIssuer> context) {
    return IssuerServiceAccountBuilder.build(primary);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(MacpIssuer primary, Context<MacpIssuer> context) {
    return new ResourceID(IssuerNames.issuerServiceAccount(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(ServiceAccount desired, MacpIssuer primary) {
    IssuerOwnerReference.setOn(desired, primary);
  }
}
