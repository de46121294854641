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
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import io.macp.operator.scope.OperatorPods;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The NetworkPolicy {@code <name>} of {@code spec.mint.allowedFrom}, two ingress rules: the main
 * port (POST /tokens) only from the listed peers, and the public port (JWKS, discovery, health,
 * metrics; the issuer refuses the mint there) from every source, so verifiers, scrapers and probes
 * need no entry; and, while the activation gate observes, a third: the main port from the
 * operator's own pods (docs/verifiers.md). Nothing else reaches the pods.
 */
public final class IssuerNetworkPolicyBuilder {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  /** Set by Kubernetes (1.22+) on every namespace to its name: selects one namespace by name. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

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

  /**
   * {@code policy} (from {@link #build}) with one more ingress rule: the mint port only, from the
   * operator's own pods, so it can read each replica's {@code GET /verifiers}. Only while
   * {@code spec.rotation.activationGate} observes (Observe or Hold); docs/verifiers.md.
   *
   * @param operator the operator's pods: their namespace, selected by its
   *     {@code kubernetes.io/metadata.name} label (set by Kubernetes on every namespace), and
   *     their labels, both in one peer
   * @return a new NetworkPolicy; {@code policy} is not changed
   */
  public static NetworkPolicy withOperator(NetworkPolicy policy, OperatorPods operator) {
    return new NetworkPolicyBuilder(policy)
        .editSpec()
        .addNewIngress()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(IssuerNames.CONTAINER_PORT))
        .endPort()
        .addNewFrom()
        .withNewNamespaceSelector()
        .withMatchLabels(new TreeMap<>(Map.of(NAMESPACE_NAME_LABEL, operator.namespace())))
        .endNamespaceSelector()
        .withNewPodSelector()
        .withMatchLabels(new TreeMap<>(operator.podLabels()))
        .endPodSelector()
        .endFrom()
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
