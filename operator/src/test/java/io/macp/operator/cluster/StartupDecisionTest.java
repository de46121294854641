package io.macp.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.operator.cluster.StartupDecision.Run;
import org.junit.jupiter.api.Test;

class StartupDecisionTest {
  private static final ClusterProbe.Result UP = new ClusterProbe.Result(true, "https://k8s:6443");
  private static final ClusterProbe.Result DOWN =
      new ClusterProbe.Result(false, "https://k8s:6443: ConnectException: Connection refused");

  @Test
  void clusterWhenToldOrInAPodAndOneAnswers() throws Exception {
    assertThat(StartupDecision.decide(OperatorArgs.parse("--cluster"), false, UP).run())
        .isEqualTo(Run.CLUSTER);
    assertThat(StartupDecision.decide(OperatorArgs.parse(), true, UP).run()).isEqualTo(Run.CLUSTER);
    assertThat(StartupDecision.decide(OperatorArgs.parse("--cluster"), true, UP).run())
        .isEqualTo(Run.CLUSTER);
  }

  @Test
  void onALaptopWithoutClusterItRefusesEvenWhenAContextAnswers() throws Exception {
    for (ClusterProbe.Result probe : new ClusterProbe.Result[] {UP, DOWN}) {
      StartupDecision d = StartupDecision.decide(OperatorArgs.parse(), false, probe);
      assertThat(d.run()).isEqualTo(Run.REFUSE);
      assertThat(d.message())
          .contains("no --cluster")
          .contains("KUBERNETES_SERVICE_HOST")
          .contains("macp-devcluster.jar");
    }
    assertThat(StartupDecision.needsProbe(OperatorArgs.parse(), false)).isFalse();
    assertThat(StartupDecision.needsProbe(OperatorArgs.parse("--cluster"), false)).isTrue();
    assertThat(StartupDecision.needsProbe(OperatorArgs.parse(), true)).isTrue();
  }

  @Test
  void failsWhenNoApiServerAnswersInAPodOrWithCluster() throws Exception {
    StartupDecision inPod = StartupDecision.decide(OperatorArgs.parse(), true, DOWN);
    assertThat(inPod.run()).isEqualTo(Run.FAIL);
    assertThat(inPod.message()).contains("Connection refused");
    assertThat(StartupDecision.decide(OperatorArgs.parse("--cluster"), false, DOWN).run())
        .isEqualTo(Run.FAIL);
  }
}
