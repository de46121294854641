package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.macp.operator.model.MacpIssuer;

/** The issuer's Service; no server-side apply (see {@link IssuerDeploymentResource}). */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = IssuerNames.MANAGED_SELECTOR))
public class IssuerServiceResource extends CRUDKubernetesDependentResource<Service, MacpIssuer> {

  public IssuerServiceResource() {
    super(Service.class);
  }

  @Override
  protected Service desired(MacpIssuer primary, Context<MacpIssuer> context) {
    return IssuerServiceBuilder.build(primary);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(MacpIssuer primary, Context<MacpIssuer> context) {
    return new ResourceID(IssuerNames.service(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(Service desired, MacpIssuer primary) {
    IssuerOwnerReference.setOn(desired, primary);
  }
}
