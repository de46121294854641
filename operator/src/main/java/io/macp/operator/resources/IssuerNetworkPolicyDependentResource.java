package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.scope.OperatorPods;
import java.util.Objects;
import java.util.Optional;

/**
 * The NetworkPolicy of {@code spec.mint.allowedFrom}, with the operator's pods admitted to the mint
 * port while the activation gate observes. Register it with {@link
 * AllowedFromSetCondition} as its reconcile precondition: when that is not met JOSDK deletes it.
 * No server-side apply (see {@link IssuerDeploymentDependentResource}).
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = IssuerNames.MANAGED_SELECTOR))
public class IssuerNetworkPolicyDependentResource extends IssuerDependentResource<NetworkPolicy> {

  public IssuerNetworkPolicyDependentResource() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy desired(MacpIssuer primary, Context<MacpIssuer> context) {
    IssuerPolicy parsed = policy(primary, context);
    NetworkPolicy policy = IssuerNetworkPolicyBuilder.build(primary, parsed);
    return parsed.activationGate().observes()
        ? IssuerNetworkPolicyBuilder.withOperator(policy, operatorPods(context)) : policy;
  }

  /** Put in the context by the reconciler; out of a reconcile (tests), from the environment. */
  private static OperatorPods operatorPods(Context<MacpIssuer> context) {
    return Optional.ofNullable(context)
        .flatMap(c -> c.managedWorkflowAndDependentResourceContext()
            .get(OperatorPods.KEY, OperatorPods.class))
        .orElseGet(() -> OperatorPods.fromEnv(System.getenv()));
  }

  @Override
  protected String name(MacpIssuer primary) {
    return IssuerNames.networkPolicy(primary);
  }

  /**
   * Exact: JOSDK's default match ignores what the live object has beyond the desired one, so a
   * peer removed from allowedFrom would keep its access. NetworkPolicies get no server defaults
   * beyond the fields this operator sets.
   */
  @Override
  public Result<NetworkPolicy> match(NetworkPolicy actual, NetworkPolicy desired,
      MacpIssuer primary, Context<MacpIssuer> context) {
    Result<NetworkPolicy> result = super.match(actual, desired, primary, context);
    if (result.matched() && !Objects.equals(actual.getSpec(), desired.getSpec())) {
      return Result.computed(false, desired);
    }
    return result;
  }
}
