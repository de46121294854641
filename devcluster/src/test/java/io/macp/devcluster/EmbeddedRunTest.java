package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedRunTest {
  @Test
  void printsTheDocumentedLine() {
    ReplicaView replica = new ReplicaView("default", "quickstart", 1, "quickstart-abc-1", "abc",
        URI.create("http://127.0.0.1:40123"), true, Path.of("/tmp/x"));
    assertThat(EmbeddedRun.line(replica)).isEqualTo("issuer default/quickstart 1 http://127.0.0.1:40123");
  }

  @Test
  void printsTheKubeconfigExportLine() {
    assertThat(EmbeddedRun.kubectlLines(Path.of("/tmp/k/kubeconfig"), "http://127.0.0.1:5000").split("\n"))
        .containsExactly(
            "kubectl: the embedded cluster answers at http://127.0.0.1:5000; in another shell:",
            "export KUBECONFIG=/tmp/k/kubeconfig",
            "kubectl get mi -w");
  }

  @Test
  void aMissingManifestFailsAtOnceWithExitCodeOne() {
    assertThat(EmbeddedRun.run(List.of("no-such-manifest.yaml"))).isEqualTo(1);
  }
}
