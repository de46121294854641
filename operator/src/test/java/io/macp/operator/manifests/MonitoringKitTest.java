package io.macp.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.resources.IssuerDeploymentBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ and the optional deploy/monitoring/ component rendered by the real {@code kubectl
 * kustomize}, alone and combined the way the docs tell users to, and the monitors pointing at what
 * the install manifests and the operator actually create.
 */
class MonitoringKitTest {
  @TempDir Path dir;

  @Test
  void theInstallRendersWithKubectlKustomize() {
    Map<String, JsonNode> objects = render(ProjectFiles.deploy());
    assertThat(objects).containsKeys(
        "CustomResourceDefinition/macpissuers.macp.io",
        "Deployment/macp-issuer-operator",
        "Service/macp-issuer-operator-metrics");
    assertThat(objects.keySet()).noneMatch(k -> k.startsWith("ServiceMonitor/"));
  }

  @Test
  void theMonitoringComponentRendersAloneAndAsAComponentOfTheInstall() throws IOException {
    Map<String, JsonNode> alone = render(ProjectFiles.deploy().resolve("monitoring"));
    assertThat(alone.keySet()).containsExactlyInAnyOrder(
        "ServiceMonitor/macp-issuer-operator",
        "PodMonitor/macp-issuer",
        "PrometheusRule/macp-issuer",
        "ConfigMap/macp-issuer-dashboard");

    Files.writeString(dir.resolve("kustomization.yaml"), """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - %s
        components:
          - %s
        """.formatted(dir.relativize(ProjectFiles.deploy()),
            dir.relativize(ProjectFiles.deploy().resolve("monitoring"))));
    Map<String, JsonNode> both = render(dir);
    assertThat(both.keySet()).containsAll(alone.keySet());
    assertThat(both).containsKey("Deployment/macp-issuer-operator");

    // the dashboard ConfigMap carries the JSON file unchanged, under the sidecar's label
    JsonNode cm = alone.get("ConfigMap/macp-issuer-dashboard");
    assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
    JsonNode dashboard = new ObjectMapper().readTree(
        cm.path("data").path("macp-issuer-dashboard.json").asText());
    assertThat(dashboard.path("uid").asText()).isEqualTo("macp-issuers");
  }

  @Test
  void theServiceMonitorSelectsTheMetricsServiceAndItsPort() {
    Map<String, JsonNode> install = render(ProjectFiles.deploy());
    JsonNode service = install.get("Service/macp-issuer-operator-metrics");
    JsonNode monitor = render(ProjectFiles.deploy().resolve("monitoring"))
        .get("ServiceMonitor/macp-issuer-operator");
    monitor.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e ->
        assertThat(service.path("metadata").path("labels").path(e.getKey()).asText())
            .as("Service label " + e.getKey()).isEqualTo(e.getValue().asText()));
    assertThat(monitor.path("spec").path("namespaceSelector").path("matchNames").get(0).asText())
        .isEqualTo(service.path("metadata").path("namespace").asText());
    String port = monitor.path("spec").path("endpoints").get(0).path("port").asText();
    List<String> ports = new ArrayList<>();
    service.path("spec").path("ports").forEach(p -> ports.add(p.path("name").asText()));
    assertThat(ports).contains(port);
    // the operator's per-issuer `namespace` label must win over the target's macp-system
    assertThat(monitor.path("spec").path("endpoints").get(0).path("honorLabels").asBoolean()).isTrue();
  }

  @Test
  void thePodMonitorSelectsIssuerPodsOnTheirPublicPort() {
    JsonNode monitor = render(ProjectFiles.deploy().resolve("monitoring")).get("PodMonitor/macp-issuer");
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withNamespace("team").withName("auth").withUid("u").build());
    issuer.setSpec(new MacpIssuerSpec());
    var pod = IssuerDeploymentBuilder.build(issuer).getSpec().getTemplate();
    monitor.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e ->
        assertThat(pod.getMetadata().getLabels()).containsEntry(e.getKey(), e.getValue().asText()));
    String port = monitor.path("spec").path("podMetricsEndpoints").get(0).path("port").asText();
    assertThat(pod.getSpec().getContainers().get(0).getPorts())
        .anyMatch(p -> port.equals(p.getName()));
    assertThat(monitor.path("spec").path("namespaceSelector").path("any").asBoolean()).isTrue();
  }

  /** kind/name to object of what `kubectl kustomize` printed. */
  static Map<String, JsonNode> render(Path kustomization) {
    ExternalTool.Result r = ExternalTool.KUBECTL.run(kustomization, "kustomize", ".");
    assertThat(r.exitCode()).as(r.output()).isZero();
    Map<String, JsonNode> objects = new TreeMap<>();
    for (String doc : r.output().split("(?m)^---$")) {
      if (doc.isBlank()) {
        continue;
      }
      JsonNode o = ProjectFiles.yamlDocument(doc);
      objects.put(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText(), o);
    }
    return objects;
  }
}
