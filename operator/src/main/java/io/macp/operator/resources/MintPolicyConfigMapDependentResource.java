package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/**
 * The ConfigMap {@code <name>-mint-policy}: the rendered mint policy the issuer pods reload
 * without a restart. It shares the reconciler's label-selected ConfigMap informer. Register it
 * with {@link MintPolicyWantedCondition} as its reconcile precondition: when that is not met
 * JOSDK deletes it. No server-side apply (see {@link IssuerDeploymentDependentResource}).
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = IssuerNames.MANAGED_SELECTOR))
public class MintPolicyConfigMapDependentResource extends IssuerDependentResource<ConfigMap> {

  public MintPolicyConfigMapDependentResource() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(MacpIssuer primary, Context<MacpIssuer> context) {
    return MintPolicyConfigMapBuilder.build(primary);
  }

  @Override
  protected String name(MacpIssuer primary) {
    return IssuerNames.mintPolicyConfigMap(primary);
  }
}
