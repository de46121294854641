package io.macp.operator.e2e;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.embedded.EmbeddedCluster;
import io.macp.operator.embedded.InProcessIssuerLauncher;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TmpRestartProbeTest {
  @Test
  void probe() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifests(List.of(ProjectFiles.examples().resolve("fast-rotation.yaml")))
        .workingDir(ProjectFiles.root()).seed(1)
        .issuers(InProcessIssuerLauncher.create(Clock.systemUTC())).start()) {
      cluster.kubelet().awaitServing("default", "fast-rotation", Duration.ofSeconds(60));
      Thread.sleep(3000);
      Secret before = cluster.client().secrets().inNamespace("default").withName("fast-rotation-keys").get();
      cluster.stopOperator();
      Thread.sleep(2000);
      cluster.startOperator();
      Thread.sleep(5000);
      Secret after = cluster.client().secrets().inNamespace("default").withName("fast-rotation-keys").get();
      KubernetesSerialization ser = new KubernetesSerialization();
      before.getData().replaceAll((k, v) -> new String(Base64.getDecoder().decode(v)).replaceAll("\"(d|p|q|dp|dq|qi)\":\"[^\"]*\"", "\"$1\":\"x\""));
      after.getData().replaceAll((k, v) -> new String(Base64.getDecoder().decode(v)).replaceAll("\"(d|p|q|dp|dq|qi)\":\"[^\"]*\"", "\"$1\":\"x\""));
      java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/probe/before.yaml"), ser.asYaml(before));
      java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/probe/after.yaml"), ser.asYaml(after));
    }
  }
}
