package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.DefaultManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.macp.operator.model.v1alpha1.ActivationGateSpec;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Validate once: every dependent's {@code desired()} and every reconcile precondition builds from
 * the {@link IssuerPolicy} the reconcile put in the context, never from the primary's spec. A
 * primary whose spec cannot be read at all, or whose spec says something else, must give exactly
 * what the policy says.
 */
class DesiredFollowsThePolicyTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** One dependent's desired(): what the workflow calls. */
  private record Dependent(String name,
      BiFunction<MacpIssuer, Context<MacpIssuer>, HasMetadata> desired) {}

  private static final List<Dependent> DEPENDENTS = List.of(
      new Dependent("Service", new IssuerServiceDependentResource()::desired),
      new Dependent("Deployment", new IssuerDeploymentDependentResource()::desired),
      new Dependent("PodDisruptionBudget", new IssuerPodDisruptionBudgetDependentResource()::desired),
      new Dependent("NetworkPolicy", new IssuerNetworkPolicyDependentResource()::desired),
      new Dependent("ServiceAccount", new IssuerServiceAccountDependentResource()::desired),
      new Dependent("mint policy ConfigMap", new MintPolicyConfigMapDependentResource()::desired));

  /** The preconditions of the optional dependents, each met by {@link #everySetting()}. */
  private static final Map<String, BiFunction<MacpIssuer, Context<MacpIssuer>, Boolean>>
      PRECONDITIONS = Map.of(
          "HasMultipleReplicas", (p, c) -> new HasMultipleReplicasCondition().isMet(null, p, c),
          "AllowedFromSet", (p, c) -> new AllowedFromSetCondition().isMet(null, p, c),
          "MintPolicyWanted", (p, c) -> new MintPolicyWantedCondition().isMet(null, p, c),
          "ServiceAccountMode", (p, c) -> new ServiceAccountModeCondition().isMet(null, p, c));

  /** An issuer whose spec sets everything a dependent reads, none of it to its default. */
  private static MacpIssuer everySetting() {
    MacpIssuer issuer = TestIssuers.issuer("team-a", "auth");
    MacpIssuerSpec spec = issuer.getSpec();
    spec.setReplicas(3);
    spec.setAudience("audience-a");
    spec.setIssuer("https://auth.team-a.svc:8443");
    spec.setImage("registry.example/issuer:a");
    spec.getService().setType("NodePort");
    spec.getService().setPort(8443);
    spec.getService().setPublicPort(8444);
    spec.setPodLabels(Map.of("team", "a"));
    spec.setPodAnnotations(Map.of("prometheus.io/scrape", "false", "note", "a"));
    spec.setNodeSelector(Map.of("disk", "ssd"));
    spec.setPriorityClassName("high");
    spec.setResources(new ResourceRequirementsBuilder()
        .addToLimits("memory", new Quantity("1Gi")).build());
    spec.setTolerations(List.of(new TolerationBuilder().withKey("dedicated")
        .withOperator("Exists").withEffect("NoSchedule").build()));
    spec.setTopologySpreadConstraints(List.of());
    spec.setImagePullSecrets(List.of(new LocalObjectReference("pull-a")));
    ActivationGateSpec gate = new ActivationGateSpec();
    gate.setMode("Observe");
    spec.getRotation().setActivationGate(gate);
    MintSpec mint = TestMint.serviceAccount("team-a/caller");
    mint.setTls(TestMint.tls("auth-tls"));
    mint.setAllowedFrom(List.of(TestMint.peer("a", "orchestrator")));
    spec.setMint(mint);
    return issuer;
  }

  /** The same issuer (name, namespace, uid) with a spec that wants one plain pod. */
  private static MacpIssuer otherSpec() {
    MacpIssuer issuer = TestIssuers.issuer("team-a", "auth");
    issuer.getSpec().setReplicas(1);
    return issuer;
  }

  @Test
  void aPrimaryWhoseSpecCannotBeReadBuildsEverythingFromThePolicy() {
    MacpIssuer issuer = everySetting();
    IssuerPolicy policy = IssuerSpecValidator.policyOf(issuer);
    MacpIssuer unreadable = new UnreadableSpecIssuer(issuer);
    assertThatThrownBy(unreadable::getSpec).isInstanceOf(AssertionError.class);

    for (Dependent d : DEPENDENTS) {
      assertThat(yaml(d.desired().apply(unreadable, context(policy))))
          .as(d.name())
          .isEqualTo(yaml(d.desired().apply(issuer, null)));
    }
    PRECONDITIONS.forEach((name, isMet) ->
        assertThat(isMet.apply(unreadable, context(policy))).as(name).isTrue());
  }

  @Test
  void thePolicyInTheContextWinsOverAPrimaryThatSaysSomethingElse() {
    MacpIssuer issuer = everySetting();
    IssuerPolicy policy = IssuerSpecValidator.policyOf(issuer);
    MacpIssuer other = otherSpec();

    for (Dependent d : DEPENDENTS) {
      assertThat(yaml(d.desired().apply(other, context(policy))))
          .as(d.name())
          .isEqualTo(yaml(d.desired().apply(issuer, null)));
    }
    // the two specs do build different objects, so the equality above says something
    var service = new IssuerServiceDependentResource();
    assertThat(yaml(service.desired(other, null))).isNotEqualTo(yaml(service.desired(issuer, null)));
    var deployment = new IssuerDeploymentDependentResource();
    assertThat(yaml(deployment.desired(other, null)))
        .isNotEqualTo(yaml(deployment.desired(issuer, null)));

    PRECONDITIONS.forEach((name, isMet) -> {
      assertThat(isMet.apply(other, context(policy))).as(name + " from the policy").isTrue();
      assertThat(isMet.apply(other, null)).as(name + " from the other spec").isFalse();
    });
  }

  @Test
  void thePolicyHoldsItsOwnCopiesNotThePrimarysObjects() {
    MacpIssuer issuer = everySetting();
    IssuerPolicy policy = IssuerSpecValidator.policyOf(issuer);
    String before = yaml(IssuerDeploymentBuilder.build(issuer, policy));
    // an edit of the primary after validation (a newer event) never changes this reconcile
    issuer.getSpec().getResources().getLimits().put("memory", new Quantity("2Gi"));
    issuer.getSpec().getTolerations().get(0).setKey("changed");
    issuer.getSpec().getMint().getAllowedFrom().get(0).getPodSelector().getMatchLabels()
        .put("x", "y");
    assertThat(yaml(IssuerDeploymentBuilder.build(issuer, policy))).isEqualTo(before);
    assertThat(policy.mint().allowedFrom().get(0).getPodSelector().getMatchLabels())
        .doesNotContainKey("x");
  }

  private static String yaml(HasMetadata object) {
    return SERIALIZATION.asYaml(object);
  }

  /** A reconcile's context holding the policy where the reconciler puts it. */
  @SuppressWarnings("unchecked")
  private static Context<MacpIssuer> context(IssuerPolicy policy) {
    ManagedWorkflowAndDependentResourceContext managed =
        new DefaultManagedWorkflowAndDependentResourceContext<>(null, null, null);
    managed.put(IssuerPolicy.KEY, policy);
    return (Context<MacpIssuer>) Proxy.newProxyInstance(
        DesiredFollowsThePolicyTest.class.getClassLoader(),
        new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "managedWorkflowAndDependentResourceContext" -> managed;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /** The issuer's identity (metadata) with a spec that fails the test when anything reads it. */
  @Group(MacpIssuer.GROUP)
  @Version(MacpIssuer.VERSION)
  @Kind("MacpIssuer")
  private static final class UnreadableSpecIssuer extends MacpIssuer {
    UnreadableSpecIssuer(MacpIssuer identity) {
      setMetadata(SERIALIZATION.clone(identity.getMetadata()));
    }

    @Override
    public MacpIssuerSpec getSpec() {
      throw new AssertionError("the spec was read; builders read the IssuerPolicy");
    }
  }
}
