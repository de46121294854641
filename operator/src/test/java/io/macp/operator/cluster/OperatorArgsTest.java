package io.macp.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macp.operator.cluster.OperatorArgs.UsageException;
import org.junit.jupiter.api.Test;

class OperatorArgsTest {

  @Test
  void noArgumentsMeansNotToldToUseAClusterOnTheDefaultHealthPort() throws Exception {
    OperatorArgs args = OperatorArgs.parse();
    assertThat(args.cluster()).isFalse();
    assertThat(args.healthPort()).isEqualTo(8080);
  }

  @Test
  void clusterAndHealthPort() throws Exception {
    OperatorArgs args = OperatorArgs.parse("--cluster", "--health-port", "9090");
    assertThat(args.cluster()).isTrue();
    assertThat(args.healthPort()).isEqualTo(9090);
    assertThat(OperatorArgs.parse("--health-port=0").healthPort()).isZero();
  }

  @Test
  void badCommandLinesAreRefusedWithAReason() {
    assertThatThrownBy(() -> OperatorArgs.parse("--health-port"))
        .isInstanceOf(UsageException.class).hasMessageContaining("needs a port");
    assertThatThrownBy(() -> OperatorArgs.parse("--health-port", "http"))
        .isInstanceOf(UsageException.class).hasMessageContaining("'http' is not a port");
    assertThatThrownBy(() -> OperatorArgs.parse("--health-port", "70000"))
        .isInstanceOf(UsageException.class).hasMessageContaining("not a port");
    assertThatThrownBy(() -> OperatorArgs.parse("--health-port", "1", "--health-port", "2"))
        .isInstanceOf(UsageException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> OperatorArgs.parse("--verbose"))
        .isInstanceOf(UsageException.class).hasMessageContaining("unknown option --verbose");
  }

  @Test
  void theEmbeddedClusterIsPointedToItsOwnJar() {
    assertThatThrownBy(() -> OperatorArgs.parse("--embedded"))
        .isInstanceOf(UsageException.class).hasMessageContaining("macp-devcluster.jar");
    assertThatThrownBy(() -> OperatorArgs.parse("quickstart.yaml"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("quickstart.yaml")
        .hasMessageContaining("macp-devcluster.jar");
    assertThatThrownBy(() -> OperatorArgs.parse("--cluster", "--embedded"))
        .isInstanceOf(UsageException.class).hasMessageContaining("macp-devcluster.jar");
  }

  @Test
  void helpIsNotAnError() {
    assertThatThrownBy(() -> OperatorArgs.parse("--help"))
        .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.helpRequested()).isTrue())
        .hasMessageContaining("--cluster")
        .hasMessageContaining("macp-devcluster.jar");
    assertThatThrownBy(() -> OperatorArgs.parse("--bogus"))
        .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.helpRequested()).isFalse());
  }
}
