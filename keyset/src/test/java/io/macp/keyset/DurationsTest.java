package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "90s, 90000",
    "5m, 300000",
    "24h, 86400000",
    "1h30m, 5400000",
    "1.5h, 5400000",
    "250ms, 250",
    "0s, 0",
    "0, 0",
    "1h0m10s, 3610000"
  })
  void parsesGoStyleDurations(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "5x", "-5m", "m5", "1d", "5 m", "1h 30m", "PT5M", "1e3s"})
  void refusesAnythingElseWithAnActionableMessage(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a duration")
        .hasMessageContaining("90s, 5m, 24h or 1h30m");
  }

  @ParameterizedTest
  @CsvSource({"0, 0s", "250, 250ms", "90000, 1m30s", "4080000, 1h8m", "3600000, 1h", "1500, 1.5s"})
  void formatsLikeGo(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"90s", "5m", "1h8m", "1h0m1s", "250ms", "2h45m30s"})
  void formatThenParseIsIdentity(String text) {
    Duration d = Durations.parse(text);
    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> Durations.parse(null)).hasMessageContaining("missing");
  }
}
