package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerImage;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's pod fields: image and pull secrets, priority class, topology spread (with the default
 * spread over nodes and zones), pod labels and annotations, and that taking one away rolls it out.
 */
class IssuerPodSchedulingTest {
  private static PodSpec pod(MacpIssuer issuer) {
    return IssuerDeploymentBuilder.build(issuer).getSpec().getTemplate().getSpec();
  }

  private static MacpIssuer issuer(Consumer<io.macp.operator.model.v1alpha1.MacpIssuerSpec> edit) {
    MacpIssuer issuer = TestIssuers.issuer("team", "auth");
    edit.accept(issuer.getSpec());
    return issuer;
  }

  @Test
  void byDefaultReplicasSpreadOverNodesAndZonesWithoutEverBlockingScheduling() {
    MacpIssuer issuer = TestIssuers.issuer("team", "auth");
    List<TopologySpreadConstraint> spread = pod(issuer).getTopologySpreadConstraints();
    assertThat(spread).extracting(TopologySpreadConstraint::getTopologyKey)
        .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    assertThat(spread).allSatisfy(c -> {
      assertThat(c.getMaxSkew()).isEqualTo(1);
      assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
      assertThat(c.getLabelSelector().getMatchLabels()).isEqualTo(IssuerNames.podSelector(issuer));
    });
    assertThat(pod(issuer).getPriorityClassName()).isNull();
    assertThat(pod(issuer).getImagePullSecrets()).isEmpty();
  }

  @Test
  void theSpecsSpreadReplacesTheDefaultAndAnEmptyListTurnsItOff() {
    TopologySpreadConstraint zoneOnly = new TopologySpreadConstraintBuilder().withMaxSkew(2)
        .withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("DoNotSchedule")
        .withNewLabelSelector().withMatchLabels(Map.of("app.kubernetes.io/instance", "auth"))
        .endLabelSelector().build();
    MacpIssuer custom = issuer(s -> s.setTopologySpreadConstraints(List.of(zoneOnly)));
    assertThat(pod(custom).getTopologySpreadConstraints()).containsExactly(zoneOnly);
    assertThat(pod(custom).getTopologySpreadConstraints().get(0)).isNotSameAs(zoneOnly);
    assertThat(pod(issuer(s -> s.setTopologySpreadConstraints(List.of()))).getTopologySpreadConstraints())
        .isEmpty();
  }

  @Test
  void priorityClassAndPullSecretsAreApplied() {
    MacpIssuer issuer = issuer(s -> {
      s.setPriorityClassName("system-cluster-critical");
      s.setImagePullSecrets(List.of(new LocalObjectReference("registry-creds")));
      s.setImage("registry.example/macp-issuer@sha256:" + "a".repeat(64));
    });
    assertThat(pod(issuer).getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(pod(issuer).getImagePullSecrets()).extracting(LocalObjectReference::getName)
        .containsExactly("registry-creds");
    assertThat(pod(issuer).getContainers().get(0).getImage())
        .isEqualTo("registry.example/macp-issuer@sha256:" + "a".repeat(64));
  }

  @Test
  void theImageIsTheSpecsElseTheOperatorsConfiguredDefault() {
    assertThat(IssuerImage.fromEnv(Map.of())).isEqualTo(IssuerImage.BUILT_IN);
    assertThat(IssuerImage.fromEnv(Map.of(IssuerImage.ENV, "  "))).isEqualTo(IssuerImage.BUILT_IN);
    assertThat(IssuerImage.fromEnv(Map.of(IssuerImage.ENV, "registry.example/issuer:1.2.3")))
        .isEqualTo("registry.example/issuer:1.2.3");
    MacpIssuer unset = TestIssuers.issuer("team", "auth");
    assertThat(IssuerImage.of(unset.getSpec().getImage(), "registry.example/issuer:1.2.3"))
        .isEqualTo("registry.example/issuer:1.2.3");
    assertThat(IssuerImage.of(issuer(s -> s.setImage("mine:2")).getSpec().getImage(),
        "registry.example/issuer:1.2.3"))
        .isEqualTo("mine:2");
    assertThat(pod(unset).getContainers().get(0).getImage()).isEqualTo(IssuerImage.operatorDefault());
  }

  @Test
  void podLabelsAddToTheOperatorsWhichAlwaysWinAndAnnotationsOverrideTheDefaults() {
    MacpIssuer issuer = issuer(s -> {
      s.setPodLabels(Map.of("team", "identity", "app.kubernetes.io/instance", "hijack"));
      s.setPodAnnotations(Map.of("prometheus.io/scrape", "false", "sidecar.istio.io/inject", "false"));
    });
    var meta = IssuerDeploymentBuilder.build(issuer).getSpec().getTemplate().getMetadata();
    assertThat(meta.getLabels()).containsEntry("team", "identity")
        .containsAllEntriesOf(IssuerNames.labels(issuer));
    assertThat(meta.getAnnotations()).containsEntry("prometheus.io/scrape", "false")
        .containsEntry("prometheus.io/port", "3201")
        .containsEntry("prometheus.io/path", "/metrics")
        .containsEntry("sidecar.istio.io/inject", "false");
    // the Deployment still selects its pods
    assertThat(IssuerDeploymentBuilder.build(issuer).getSpec().getSelector().getMatchLabels())
        .isEqualTo(IssuerNames.podSelector(issuer));
  }

  @Test
  void takingAPodFieldAwayIsDriftSoItRollsOut() {
    MacpIssuer plain = TestIssuers.issuer("team", "auth");
    Deployment want = IssuerDeploymentBuilder.build(plain);
    assertThat(IssuerDeploymentDrift.dropped(want, IssuerDeploymentBuilder.build(plain))).isFalse();
    for (Consumer<io.macp.operator.model.v1alpha1.MacpIssuerSpec> had : List.<Consumer<io.macp.operator.model.v1alpha1.MacpIssuerSpec>>of(
        s -> s.setPodLabels(Map.of("team", "identity")),
        s -> s.setPodAnnotations(Map.of("sidecar.istio.io/inject", "false")),
        s -> s.setPriorityClassName("high"),
        s -> s.setImagePullSecrets(List.of(new LocalObjectReference("creds"))))) {
      Deployment live = IssuerDeploymentBuilder.build(issuer(had));
      assertThat(IssuerDeploymentDrift.dropped(want, live)).isTrue();
    }
    // a spread constraint the spec no longer wants (the spec turned spreading off)
    Deployment noSpread = IssuerDeploymentBuilder.build(issuer(s -> s.setTopologySpreadConstraints(List.of())));
    assertThat(IssuerDeploymentDrift.dropped(noSpread, want)).isTrue();
    // `kubectl rollout restart` is not drift
    Deployment restarted = IssuerDeploymentBuilder.build(plain);
    restarted.getSpec().getTemplate().getMetadata().getAnnotations()
        .put("kubectl.kubernetes.io/restartedAt", "2026-11-30T05:00:00Z");
    assertThat(IssuerDeploymentDrift.dropped(want, restarted)).isFalse();
  }
}
