package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.operator.model.MacpIssuer;
import io.macp.operator.model.MintPeerSpec;
import java.util.List;
import java.util.TreeMap;

/**
 * The NetworkPolicy {@code <name>} of {@code spec.mint.allowedFrom}: ingress to the issuer pods
 * only on the issuer port and only from the listed peers. Kubelet probes still arrive (a
 * NetworkPolicy never blocks traffic from the pod's own node).
 *
 * <p>The issuer serves POST /tokens, the JWKS, discovery, health and metrics on that one port,
 * and a NetworkPolicy filters ports, not paths: the listed peers are the only pods that can reach
 * the JWKS too. Restricting the mint alone needs a second, public-only port in the issuer (see
 * docs/security.md, "Network").
 */
public final class IssuerNetworkPolicyBuilder {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private IssuerNetworkPolicyBuilder() {}

  /** Whether the issuer gets a NetworkPolicy at all. */
  public static boolean wanted(MacpIssuer issuer) {
    return IssuerMint.networkPolicyWanted(issuer);
  }

  public static NetworkPolicy build(MacpIssuer issuer) {
    List<NetworkPolicyPeer> peers =
        IssuerMint.allowedFrom(issuer).stream().map(IssuerNetworkPolicyBuilder::peer).toList();
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

  /** Deep copy, so the NetworkPolicy never aliases the primary. */
  private static LabelSelector copy(LabelSelector selector) {
    return selector == null ? null : SERIALIZATION.clone(selector);
  }
}
