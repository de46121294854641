package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.macp.operator.model.MacpIssuer;

/**
 * The ConfigMap {@code <name>-mint-policy}: the rendered mint policy the issuer pods reload
 * without a restart. It shares the reconciler's label-selected ConfigMap informer. Register it
 * with {@link MintPolicyWantedCondition} as its reconcile precondition: when that is not met
 * JOSDK deletes it. No server-side apply (see {@link IssuerDeploymentResource}).
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = IssuerNames.MANAGED_SELECTOR))
public class MintPolicyConfigMapResource extends CRUDKubernetesDependentResource<ConfigMap, MacpIssuer> {

  public MintPolicyConfigMapResource() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(MacpIssuer primary, Context<MacpIssuer> context) {
    return MintPolicyConfigMapBuilder.build(primary);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(MacpIssuer primary, Context<MacpIssuer> context) {
    return new ResourceID(IssuerNames.mintPolicyConfigMap(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(ConfigMap desired, MacpIssuer primary) {
    IssuerOwnerReference.setOn(desired, primary);
  }
}
