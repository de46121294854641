package io.macp.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.policy.IssuerImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's own scheduling in deploy/ (rendered by the real kubectl kustomize): a
 * PodDisruptionBudget, a priority class that ships with it, spread over nodes and zones, and the
 * issuers' default image set for the operator to hand out.
 */
class OperatorSchedulingManifestsTest {
  private static final Map<String, JsonNode> INSTALL = MonitoringKitTest.render(ProjectFiles.deploy());

  private static JsonNode pod() {
    return INSTALL.get("Deployment/macp-issuer-operator").path("spec").path("template");
  }

  @Test
  void aDisruptionBudgetKeepsAStandby() {
    JsonNode pdb = INSTALL.get("PodDisruptionBudget/macp-issuer-operator");
    assertThat(pdb.path("apiVersion").asText()).isEqualTo("policy/v1");
    assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
    pdb.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e ->
        assertThat(pod().path("metadata").path("labels").path(e.getKey()).asText())
            .isEqualTo(e.getValue().asText()));
    assertThat(INSTALL.get("Deployment/macp-issuer-operator").path("spec").path("replicas").asInt())
        .isGreaterThan(1);
  }

  @Test
  void thePriorityClassItUsesIsInstalledWithIt() {
    String name = pod().path("spec").path("priorityClassName").asText();
    assertThat(INSTALL).containsKey("PriorityClass/" + name);
    assertThat(INSTALL.get("PriorityClass/" + name).path("globalDefault").asBoolean()).isFalse();
  }

  @Test
  void replicasSpreadOverNodesAndZonesWithoutBlocking() {
    List<String> keys = new ArrayList<>();
    for (JsonNode c : pod().path("spec").path("topologySpreadConstraints")) {
      keys.add(c.path("topologyKey").asText());
      assertThat(c.path("whenUnsatisfiable").asText()).isEqualTo("ScheduleAnyway");
      assertThat(c.path("labelSelector").path("matchLabels").path("app.kubernetes.io/name").asText())
          .isEqualTo("macp-issuer-operator");
    }
    assertThat(keys).containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
  }

  @Test
  void theIssuersDefaultImageIsConfiguredOnTheOperator() {
    String image = null;
    for (JsonNode env : pod().path("spec").path("containers").get(0).path("env")) {
      if (IssuerImage.ENV.equals(env.path("name").asText())) {
        image = env.path("value").asText();
      }
    }
    assertThat(image).isEqualTo(IssuerImage.BUILT_IN);
  }
}
