package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.ManagedKey;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real operator in the embedded cluster, with stand-in replicas that serve the key-set file
 * they read: the operator's Deployment and Secret reach every replica through the kubelet
 * simulation, and the Deployment status the simulator writes makes the issuer Available.
 */
class EmbeddedClusterTest {
  static final String FAST_ES256 = """
      apiVersion: macp.io/v1alpha1
      kind: MacpIssuer
      metadata:
        name: fast
        namespace: demo
      spec:
        replicas: 2
        signing:
          algorithm: ES256
        tokens:
          defaultTtl: 10s
          maxTtl: 20s
        rotation:
          period: 30s
          verifierCacheTtl: 5s
          verifierStaleGrace: 0s
          propagationDelay: 2s
          clockSkew: 1s
      """;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void theOperatorsIssuerDeploymentRunsOnTheSimulatedKubelet() throws Exception {
    FileServingLauncher launcher = new FileServingLauncher();
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifestYaml(FAST_ES256)
        .workingDir(Path.of(""))
        .seed(11)
        .issuers(launcher)
        .start()) {
      KubeletSimulator.DeploymentView view = cluster.kubelet().awaitServing("demo", "fast", WAIT);

      assertThat(view.replicas()).hasSize(2);
      assertThat(view.declaredPropagationDelay()).isEqualTo(Duration.ofSeconds(2));
      assertThat(view.maxKubeletDelay()).as("2s minus the issuer's 1s file poll").isEqualTo(Duration.ofSeconds(1));
      List<String> activeKids = view.replicas().stream()
          .map(r -> activeKid(r.keysDir().resolve("keyset.json")))
          .toList();
      assertThat(activeKids).doesNotContainNull().containsOnly(activeKids.get(0));

      await().atMost(WAIT).untilAsserted(() -> {
        MacpIssuer issuer = cluster.client().resources(MacpIssuer.class).inNamespace("demo").withName("fast").get();
        assertThat(issuer.getStatus()).isNotNull();
        assertThat(issuer.getStatus().getConditions())
            .filteredOn(c -> c.getType().equals("Available") || c.getType().equals("Ready"))
            .extracting(c -> c.getType() + "=" + c.getStatus())
            .containsExactlyInAnyOrder("Available=True", "Ready=True");
        assertThat(issuer.getStatus().getActiveKid()).isEqualTo(activeKids.get(0));
      });

      // A new operator instance takes over: nothing is regenerated, no pod restarts.
      cluster.restartOperator();
      assertThat(cluster.operatorStarts()).isEqualTo(2);
      cluster.apply(FAST_ES256);
      assertThat(cluster.kubelet().awaitServing("demo", "fast", WAIT).replicas())
          .allSatisfy(r -> assertThat(activeKid(r.keysDir().resolve("keyset.json"))).isEqualTo(activeKids.get(0)));
      assertThat(cluster.kubelet().restarts("demo", "fast")).isZero();
      assertThat(cluster.kubelet().deployment("demo", "fast").orElseThrow().templateHistory()).hasSize(1);

      // Deleting the issuer garbage-collects its Deployment, so its replicas stop.
      cluster.client().resources(MacpIssuer.class).inNamespace("demo").withName("fast").delete();
      await().atMost(WAIT).until(() -> cluster.kubelet().deployment("demo", "fast").isEmpty());
      assertThat(cluster.client().apps().deployments().inNamespace("demo").withName("fast").get()).isNull();
    }
  }

  @Test
  void aBadManifestStartsNothing() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n");
    assertThatThrownBy(() -> EmbeddedCluster.builder()
        .manifests(List.of(bad))
        .issuers(new FileServingLauncher())
        .start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.yaml");
  }

  static String activeKid(Path keysetFile) {
    try {
      KeySet set = KeySetJson.parse(Files.readAllBytes(keysetFile));
      return set.signerAt(java.time.Instant.now()).map(ManagedKey::kid).orElse(null);
    } catch (Exception e) {
      throw new AssertionError("cannot read " + keysetFile + ": " + e.getMessage(), e);
    }
  }
}
