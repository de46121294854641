package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/**
 * The issuer pods. Plain create/update instead of server-side apply, so the same code runs against
 * the fabric8 mock server (which has no SSA) and a real API server.
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = IssuerNames.MANAGED_SELECTOR))
public class IssuerDeploymentDependentResource extends IssuerDependentResource<Deployment> {

  public IssuerDeploymentDependentResource() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(MacpIssuer primary, Context<MacpIssuer> context) {
    return IssuerDeploymentBuilder.build(primary);
  }

  @Override
  protected String name(MacpIssuer primary) {
    return IssuerNames.deployment(primary);
  }

  /** JOSDK's match, plus what it cannot see: volumes, mounts, env or an account we dropped. */
  @Override
  public Result<Deployment> match(
      Deployment actual, Deployment desired, MacpIssuer primary, Context<MacpIssuer> context) {
    Result<Deployment> result = super.match(actual, desired, primary, context);
    if (result.matched() && IssuerDeploymentDrift.dropped(desired, actual)) {
      return Result.computed(false, desired);
    }
    return result;
  }
}
