package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestApplierTest {
  @TempDir Path dir;
  private MockApiServer api;
  private KubernetesClient client;
  private ManifestApplier applier;

  @BeforeEach
  void start() {
    api = MockApiServer.start();
    client = api.newClient();
    CrdInstaller.install(client, Path.of(""));
    applier = new ManifestApplier(client);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void appliesEveryDocumentAndCreatesTheirNamespaces() throws Exception {
    Path file = Files.writeString(dir.resolve("m.yaml"), """
        apiVersion: macp.io/v1alpha1
        kind: MacpIssuer
        metadata:
          name: demo
          namespace: team-a
        spec:
          replicas: 2
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          a: "1"
        """);

    applier.apply(applier.read(List.of(file)));

    assertThat(client.namespaces().withName("team-a").get()).isNotNull();
    assertThat(client.namespaces().withName("default").get()).isNotNull();
    assertThat(client.resources(MacpIssuer.class).inNamespace("team-a").withName("demo").get().getSpec().getReplicas())
        .isEqualTo(2);
    assertThat(client.configMaps().inNamespace("default").withName("settings").get().getData()).containsEntry("a", "1");
  }

  @Test
  void reapplyingUpdatesInPlace() throws Exception {
    String v1 = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\ndata: {k: one}\n";
    String v2 = v1.replace("one", "two");
    applier.apply(applier.parse(v1, "v1"));
    applier.apply(applier.parse(v2, "v2"));
    assertThat(client.configMaps().inNamespace("x").withName("c").get().getData()).containsEntry("k", "two");
  }

  @Test
  void aBadFileAmongGoodOnesIsRefusedByNameBeforeAnythingIsApplied() throws Exception {
    Path good = Files.writeString(dir.resolve("good.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: y}\n");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "kind: [unclosed\n");

    assertThatThrownBy(() -> applier.read(List.of(good, bad)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.yaml");
    assertThatThrownBy(() -> applier.read(List.of(dir.resolve("missing.yaml"))))
        .hasMessageContaining("missing.yaml")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> applier.parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n", "noname"))
        .hasMessageContaining("metadata.name");
    assertThat(client.namespaces().withName("y").get()).isNull();
  }
}
