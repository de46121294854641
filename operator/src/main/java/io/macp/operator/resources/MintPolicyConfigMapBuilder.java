package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.MintPolicyRenderer;
import java.util.TreeMap;

/**
 * The ConfigMap {@code <name>-mint-policy} holding the rendered mint policy. Mounted as a
 * directory (never subPath) so the kubelet's updates reach the pods, which reload the policy
 * without a restart; the pod template names the ConfigMap only, never a hash of its content.
 */
public final class MintPolicyConfigMapBuilder {
  private MintPolicyConfigMapBuilder() {}

  /** For a valid issuer; renders the policy (see {@link #build(MacpIssuer, String)}). */
  public static ConfigMap build(MacpIssuer issuer) {
    return build(issuer, MintPolicyRenderer.render(issuer));
  }

  /** @param policyJson the rendered policy ({@code IssuerPolicy.mintPolicyJson()}) */
  public static ConfigMap build(MacpIssuer issuer, String policyJson) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(IssuerNames.mintPolicyConfigMap(issuer))
        .withNamespace(issuer.getMetadata().getNamespace())
        .withLabels(new TreeMap<>(IssuerNames.labels(issuer)))
        .endMetadata()
        .addToData(IssuerNames.MINT_POLICY_KEY, policyJson)
        .build();
  }
}
