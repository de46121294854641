package io.macp.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {

  @Test
  void jsonInAPodPlainOnATerminal() {
    assertThat(LogFormat.choose(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"))).isEqualTo("json");
    assertThat(LogFormat.choose(Map.of())).isEqualTo("plain");
  }

  @Test
  void logFormatOverridesAndUnknownValuesFallBackToPlain() {
    assertThat(LogFormat.choose(Map.of("LOG_FORMAT", "JSON"))).isEqualTo("json");
    assertThat(LogFormat.choose(Map.of("LOG_FORMAT", "plain", "KUBERNETES_SERVICE_HOST", "x")))
        .isEqualTo("plain");
    // logback.xml names its appenders json and plain: anything else would silence the logs
    assertThat(LogFormat.choose(Map.of("LOG_FORMAT", "xml"))).isEqualTo("plain");
  }
}
