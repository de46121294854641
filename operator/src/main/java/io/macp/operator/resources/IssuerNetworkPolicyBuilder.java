package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MintPeerSpec;
import io.macp.operator.reconciler.IssuerPolicy;
import io.macp.operator.reconciler.IssuerSpecValidator;
import java.util.List;
import java.util.TreeMap;

/**
 * The NetworkPolicy {@code <name>} of {@code spec.mint.allowedFrom}, two ingress rules: the main
 * port (POST /tokens) only from the listed peers, and the public port (JWKS, discovery, health,
 * metrics; the issuer refuses the mint there) from every source, so verifiers, scrapers and probes
 * need no entry. Nothing else reaches the pods.
 */
public final class IssuerNetworkPolicyBuilder {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private IssuerNetworkPolicyBuilder() {}

  /** Whether the issuer gets a NetworkPolicy at all. */
  public static boolean wanted(IssuerPolicy policy) {
    return policy.mint().networkPolicyWanted();
  }

  /** For a valid issuer, validating its spec (tests and tools). */
  public static NetworkPolicy build(MacpIssuer issuer) {
    return build(issuer, IssuerSpecValidator.policyOf(issuer));
  }

  /** @param policy the spec as validated by this reconcile (spec.mint.allowedFrom) */
  public static NetworkPolicy build(MacpIssuer issuer, IssuerPolicy policy) {
    List<NetworkPolicyPeer> peers =
        policy.mint().allowedFrom().stream().map(IssuerNetworkPolicyBuilder::peer).toList();
    if (peers.isEmpty()) {
      // an ingress rule without peers admits every source: never render one
      throw new IllegalArgumentException("spec.mint.allowedFrom is empty: no NetworkPolicy");
    }
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(IssuerNames.networkPolicy(issuer))
        .withNamespace(issuer.getMetadata().getNamespace())
        .withLabels(new TreeMap<>(IssuerNames.labels(issuer)))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(new TreeMap<>(IssuerNames.podSelector(issuer)))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(IssuerNames.CONTAINER_PORT))
        .endPort()
        .withFrom(peers)
        .endIngress()
        // no "from": every source, on this port only
        .addNewIngress()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(IssuerNames.PUBLIC_CONTAINER_PORT))
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }

  private static NetworkPolicyPeer peer(MintPeerSpec spec) {
    if (spec.getNamespaceSelector() == null && spec.getPodSelector() == null) {
      // an empty peer is not valid and would never mean "nobody"
      throw new IllegalArgumentException(
          "spec.mint.allowedFrom: every peer needs a namespaceSelector, a podSelector or both");
    }
    return new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(copy(spec.getNamespaceSelector()))
        .withPodSelector(copy(spec.getPodSelector()))
        .build();
  }

  /** Deep copy, so the NetworkPolicy never aliases the policy (nor the primary). */
  private static LabelSelector copy(LabelSelector selector) {
    return selector == null ? null : SERIALIZATION.clone(selector);
  }
}
