package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.macp.issuer.api.AuthenticationMode;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MintPeerSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import io.macp.operator.scope.OperatorPods;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IssuerNetworkPolicyBuilderTest {

  private static MacpIssuer issuerWithPeers(MintPeerSpec... peers) {
    MintSpec mint = new MintSpec();
    mint.setAllowedFrom(new ArrayList<>(List.of(peers)));
    return TestMint.withMint(TestIssuers.issuer("team-a", "auth"), mint);
  }

  /**
   * A policy whose allowedFrom the validator would refuse (an empty list, a peer without
   * selectors): the builder's own guard, for a policy made some other way.
   */
  private static IssuerPolicy policyWithPeers(MintPeerSpec... peers) {
    IssuerPolicy p = IssuerSpecValidator.policyOf(TestIssuers.issuer("team-a", "auth"));
    return new IssuerPolicy(p.rotation(), p.keySpec(), p.defaultTokenTtl(), p.maxTokenTtl(),
        p.issuerClaim(), p.mintPolicyJson(), p.activationGate(), p.audience(), p.service(),
        p.pod(), new IssuerPolicy.MintSettings(AuthenticationMode.NONE, null, null,
            List.of(peers), List.of(), 0),
        p.retainKeysOnDelete(), p.verifierSelector());
  }

  @Test
  void onlyWithAllowedFrom() {
    assertThat(IssuerNetworkPolicyBuilder.wanted(
        IssuerSpecValidator.policyOf(TestIssuers.issuer("ns", "auth")))).isFalse();
    assertThat(IssuerNetworkPolicyBuilder.wanted(policyWithPeers())).as("empty list").isFalse();
    assertThatThrownBy(() -> IssuerNetworkPolicyBuilder.build(issuerWithPeers(), policyWithPeers()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(IssuerNetworkPolicyBuilder.wanted(
        IssuerSpecValidator.policyOf(issuerWithPeers(TestMint.peer("a", null))))).isTrue();
  }

  @Test
  void admitsTheListedPeersOnTheIssuerPortOnly() {
    MacpIssuer issuer = issuerWithPeers(
        TestMint.peer("a", "orchestrator"), TestMint.peer(null, "control-plane"),
        TestMint.peer("verifiers", null));
    NetworkPolicy np = IssuerNetworkPolicyBuilder.build(issuer);

    assertThat(np.getMetadata().getName()).isEqualTo("auth");
    assertThat(np.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(np.getMetadata().getLabels()).isEqualTo(IssuerNames.labels(issuer));
    assertThat(np.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(IssuerNames.podSelector(issuer))
        .isEqualTo(IssuerDeploymentBuilder.build(issuer).getSpec().getSelector().getMatchLabels());
    assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
    NetworkPolicyIngressRule rule = np.getSpec().getIngress().get(0);
    assertThat(np.getSpec().getIngress()).hasSize(2);
    // the public port (JWKS, discovery, health, metrics) from every source, and nothing more
    NetworkPolicyIngressRule open = np.getSpec().getIngress().get(1);
    assertThat(open.getFrom()).as("no peers: every source").isNullOrEmpty();
    assertThat(open.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort().getIntVal()).isEqualTo(IssuerNames.PUBLIC_CONTAINER_PORT).isEqualTo(3201);
      assertThat(p.getProtocol()).isEqualTo("TCP");
      assertThat(p.getEndPort()).isNull();
    });
    // the mint port is only in the restricted rule
    assertThat(rule.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort().getIntVal()).isEqualTo(IssuerNames.CONTAINER_PORT);
      assertThat(p.getProtocol()).isEqualTo("TCP");
    });
    assertThat(rule.getFrom()).hasSize(3);
    // both selectors: those pods in those namespaces; pod selector alone: the issuer's namespace
    assertThat(rule.getFrom().get(0).getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("team", "a"));
    assertThat(rule.getFrom().get(0).getPodSelector().getMatchLabels())
        .isEqualTo(Map.of("role", "orchestrator"));
    assertThat(rule.getFrom().get(1).getNamespaceSelector()).isNull();
    assertThat(rule.getFrom().get(2).getPodSelector()).isNull();
    assertThat(rule.getFrom()).allSatisfy(p -> assertThat(p.getIpBlock()).isNull());
  }

  @Test
  void whileTheGateObservesTheOperatorPodsReachTheMintPortAndNothingElse() {
    MacpIssuer issuer = issuerWithPeers(TestMint.peer("a", "orchestrator"));
    OperatorPods operator = new OperatorPods("ops", Map.of("app.kubernetes.io/name", "op"));
    NetworkPolicy without = IssuerNetworkPolicyBuilder.build(issuer);
    NetworkPolicy with = IssuerNetworkPolicyBuilder.withOperator(without, operator);

    // the first two rules are unchanged; one more, for the operator only
    assertThat(with.getSpec().getIngress()).hasSize(3)
        .startsWith(without.getSpec().getIngress().toArray(new NetworkPolicyIngressRule[0]));
    NetworkPolicyIngressRule rule = with.getSpec().getIngress().get(2);
    assertThat(rule.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort().getIntVal()).isEqualTo(IssuerNames.CONTAINER_PORT).isEqualTo(3200);
      assertThat(p.getProtocol()).isEqualTo("TCP");
      assertThat(p.getEndPort()).isNull();
    });
    // both selectors in one peer: those pods in that namespace, not any pod of it nor any namespace
    assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
      assertThat(peer.getNamespaceSelector().getMatchLabels())
          .isEqualTo(Map.of("kubernetes.io/metadata.name", "ops"));
      assertThat(peer.getNamespaceSelector().getMatchExpressions()).isNullOrEmpty();
      assertThat(peer.getPodSelector().getMatchLabels())
          .isEqualTo(Map.of("app.kubernetes.io/name", "op"));
      assertThat(peer.getIpBlock()).isNull();
    });
    assertThat(with.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(with.getMetadata()).isEqualTo(without.getMetadata());
    assertThat(with.getSpec().getPodSelector()).isEqualTo(without.getSpec().getPodSelector());
    assertThat(without.getSpec().getIngress()).as("not changed").hasSize(2);
  }

  @Test
  void theOperatorPodsComeFromTheDownwardApiElseTheInstalledNamespace() {
    assertThat(OperatorPods.fromEnv(Map.of("POD_NAMESPACE", "ops-2")).namespace())
        .isEqualTo("ops-2");
    assertThat(OperatorPods.fromEnv(Map.of()).namespace()).isEqualTo("macp-system");
    assertThat(OperatorPods.fromEnv(Map.of("POD_NAMESPACE", " ")).namespace())
        .isEqualTo("macp-system");
    assertThat(OperatorPods.fromEnv(Map.of()).podLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "macp-issuer-operator"));
    // an empty pod selector would admit every pod of the namespace
    assertThatThrownBy(() -> new OperatorPods("ops", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void neverAliasesThePrimary() {
    MacpIssuer issuer = issuerWithPeers(TestMint.peer("a", "orchestrator"));
    NetworkPolicy np = IssuerNetworkPolicyBuilder.build(issuer);
    np.getSpec().getIngress().get(0).getFrom().get(0).getPodSelector().getMatchLabels().put("x", "y");
    assertThat(issuer.getSpec().getMint().getAllowedFrom().get(0).getPodSelector().getMatchLabels())
        .doesNotContainKey("x");
  }

  @Test
  void aPeerWithoutSelectorsIsRefusedRatherThanAdmittingEveryone() {
    assertThatThrownBy(() -> IssuerNetworkPolicyBuilder.build(issuerWithPeers(),
            policyWithPeers(new MintPeerSpec())))
        .hasMessageContaining("namespaceSelector, a podSelector or both");
  }
}
