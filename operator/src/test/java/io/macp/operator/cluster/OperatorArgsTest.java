package io.macp.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macp.operator.cluster.OperatorArgs.Mode;
import io.macp.operator.cluster.OperatorArgs.UsageException;
import org.junit.jupiter.api.Test;

class OperatorArgsTest {

  @Test
  void noArgumentsMeansAutoOnTheDefaultHealthPort() throws Exception {
    OperatorArgs args = OperatorArgs.parse();
    assertThat(args.mode()).isEqualTo(Mode.AUTO);
    assertThat(args.manifestFiles()).isEmpty();
    assertThat(args.healthPort()).isEqualTo(8080);
  }

  @Test
  void embeddedTakesManifestFiles() throws Exception {
    assertThat(OperatorArgs.parse("--embedded").manifestFiles()).isEmpty();
    OperatorArgs args = OperatorArgs.parse("--embedded", "a.yaml", "dir/b.yaml");
    assertThat(args.mode()).isEqualTo(Mode.EMBEDDED);
    assertThat(args.manifestFiles()).containsExactly("a.yaml", "dir/b.yaml");
    // files may come first too
    assertThat(OperatorArgs.parse("a.yaml", "--embedded").manifestFiles()).containsExactly("a.yaml");
  }

  @Test
  void clusterAndHealthPort() throws Exception {
    OperatorArgs args = OperatorArgs.parse("--cluster", "--health-port", "9090");
    assertThat(args.mode()).isEqualTo(Mode.CLUSTER);
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
    assertThatThrownBy(() -> OperatorArgs.parse("quickstart.yaml"))
        .isInstanceOf(UsageException.class).hasMessageContaining("only read with --embedded");
    assertThatThrownBy(() -> OperatorArgs.parse("--cluster", "--embedded"))
        .isInstanceOf(UsageException.class).hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> OperatorArgs.parse("--embedded", "--health-port", "1"))
        .isInstanceOf(UsageException.class).hasMessageContaining("cluster mode");
    assertThatThrownBy(() -> OperatorArgs.parse("--verbose"))
        .isInstanceOf(UsageException.class).hasMessageContaining("unknown option --verbose");
  }

  @Test
  void helpIsNotAnError() {
    assertThatThrownBy(() -> OperatorArgs.parse("--help"))
        .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.helpRequested()).isTrue())
        .hasMessageContaining("--embedded");
    assertThatThrownBy(() -> OperatorArgs.parse("--bogus"))
        .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.helpRequested()).isFalse());
  }
}
