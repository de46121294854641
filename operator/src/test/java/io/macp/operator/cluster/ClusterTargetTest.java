package io.macp.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.macp.operator.MacpOperatorFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterTargetTest {

  @Test
  void printsContextServerNamespacesAndLeaseFromTheKubeconfig(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("config");
    Files.writeString(kubeconfig, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: staging",
        "  cluster: {server: 'https://127.0.0.1:6443'}",
        "users:",
        "- name: admin",
        "  user: {token: not-a-real-token}",
        "contexts:",
        "- name: staging-admin",
        "  context: {cluster: staging, user: admin, namespace: team-a}",
        "current-context: staging-admin",
        ""));
    Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      Operator operator =
          MacpOperatorFactory.create(client, new SimpleMeterRegistry(), Clock.systemUTC(), false);
      ClusterTarget target = ClusterTarget.of(config, false, operator, "macp-system/macp-issuer-operator");
      assertThat(target.context()).isEqualTo("staging-admin");
      assertThat(target.server()).startsWith("https://127.0.0.1:6443");
      // the context's namespace is not a limit: the operator watches every namespace
      assertThat(target.namespaces()).isEqualTo("all namespaces");
      assertThat(target.describe())
          .contains("context:    staging-admin")
          .contains("lease:      macp-system/macp-issuer-operator")
          .doesNotContain("not-a-real-token");
    }
  }

  @Test
  void insideAPodTheContextIsTheInClusterConfig() {
    Config config = new io.fabric8.kubernetes.client.ConfigBuilder()
        .withMasterUrl("https://10.0.0.1:443").build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      Operator operator =
          MacpOperatorFactory.create(client, new SimpleMeterRegistry(), Clock.systemUTC(), false);
      assertThat(ClusterTarget.of(config, true, operator, "x/y").context()).isEqualTo("in-cluster config");
    }
  }

  @Test
  void namedNamespacesAreListedSorted() {
    assertThat(ClusterTarget.namespaces(List.of("b", "a"))).isEqualTo("a, b");
  }
}
