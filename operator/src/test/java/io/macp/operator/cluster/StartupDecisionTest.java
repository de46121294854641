package io.macp.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.operator.cluster.StartupDecision.Run;
import org.junit.jupiter.api.Test;

class StartupDecisionTest {
  private static final ClusterProbe.Result UP = new ClusterProbe.Result(true, "https://k8s:6443");
  private static final ClusterProbe.Result DOWN =
      new ClusterProbe.Result(false, "https://k8s:6443: ConnectException: Connection refused");

  @Test
  void clusterWhenOneAnswers() throws Exception {
    assertThat(StartupDecision.decide(OperatorArgs.parse(), false, UP).run()).isEqualTo(Run.CLUSTER);
    assertThat(StartupDecision.decide(OperatorArgs.parse("--cluster"), true, UP).run())
        .isEqualTo(Run.CLUSTER);
  }

  @Test
  void embeddedWithTheQuickstartWhenNoClusterAnswersOnALaptop() throws Exception {
    StartupDecision d = StartupDecision.decide(OperatorArgs.parse(), false, DOWN);
    assertThat(d.run()).isEqualTo(Run.EMBEDDED);
    assertThat(d.manifestFiles()).containsExactly("examples/quickstart.yaml");
    assertThat(d.message())
        .startsWith("No Kubernetes cluster reachable")
        .contains("Connection refused")
        .contains("examples/quickstart.yaml")
        .doesNotContain("\n");
  }

  @Test
  void neverFallsBackInsideAPodOrWithCluster() throws Exception {
    StartupDecision inPod = StartupDecision.decide(OperatorArgs.parse(), true, DOWN);
    assertThat(inPod.run()).isEqualTo(Run.FAIL);
    assertThat(inPod.message()).contains("Connection refused");
    assertThat(StartupDecision.decide(OperatorArgs.parse("--cluster"), false, DOWN).run())
        .isEqualTo(Run.FAIL);
  }

  @Test
  void embeddedNeedsNoProbeAndKeepsItsFiles() throws Exception {
    OperatorArgs args = OperatorArgs.parse("--embedded", "examples/fast-rotation.yaml");
    assertThat(StartupDecision.needsProbe(args)).isFalse();
    assertThat(StartupDecision.needsProbe(OperatorArgs.parse())).isTrue();
    StartupDecision d = StartupDecision.decide(args, true, DOWN);
    assertThat(d.run()).isEqualTo(Run.EMBEDDED);
    assertThat(d.manifestFiles()).containsExactly("examples/fast-rotation.yaml");
    assertThat(d.message()).isNull();
    assertThat(StartupDecision.decide(OperatorArgs.parse("--embedded"), false, DOWN).manifestFiles())
        .containsExactly("examples/quickstart.yaml");
  }
}
