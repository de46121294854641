package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/** The issuer's Service; no server-side apply (see {@link IssuerDeploymentDependentResource}). */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = IssuerNames.MANAGED_SELECTOR))
public class IssuerServiceDependentResource extends IssuerDependentResource<Service> {

  public IssuerServiceDependentResource() {
    super(Service.class);
  }

  @Override
  protected Service desired(MacpIssuer primary, Context<MacpIssuer> context) {
    return IssuerServiceBuilder.build(primary, policy(primary, context));
  }

  @Override
  protected String name(MacpIssuer primary) {
    return IssuerNames.service(primary);
  }
}
