package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import java.util.TreeMap;

/**
 * A PodDisruptionBudget that lets voluntary evictions (node drains) take one issuer pod at a time.
 * Only for more than one replica: with one, {@code maxUnavailable: 1} protects nothing and {@code
 * minAvailable: 1} would block every drain.
 */
public final class IssuerPodDisruptionBudgetBuilder {
  private IssuerPodDisruptionBudgetBuilder() {}

  /** Whether the issuer gets a PodDisruptionBudget at all. */
  public static boolean wanted(IssuerPolicy policy) {
    return policy.pod().replicas() > 1;
  }

  /** For a valid issuer, validating its spec (tests and tools). */
  public static boolean wanted(MacpIssuer issuer) {
    return wanted(IssuerSpecValidator.policyOf(issuer));
  }

  /** The budget's name and selector are the issuer's; nothing in it comes from the spec. */
  public static PodDisruptionBudget build(MacpIssuer issuer) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(IssuerNames.deployment(issuer))
        .withNamespace(issuer.getMetadata().getNamespace())
        .withLabels(new TreeMap<>(IssuerNames.labels(issuer)))
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(new TreeMap<>(IssuerNames.podSelector(issuer)))
        .endSelector()
        .endSpec()
        .build();
  }
}
