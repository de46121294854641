package io.macp.issuer.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.macp.issuer.files.PollThreads;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeySetSourcesTest {
  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private KeySetSource create(Path file, boolean selfManaged, String keyJson) {
    KeySourceSettings settings = new KeySourceSettings(file, selfManaged, keyJson, KeySpec.es256(),
        RotationPolicy.DEFAULTS, Duration.ofSeconds(1));
    return KeySetSources.create(settings, Clock.systemUTC(), registry);
  }

  @Test
  void choosesInTheDocumentedOrder() throws Exception {
    String key = new ECKeyGenerator(Curve.P_256).generate().toJSONString();
    Path file = dir.resolve("keyset.json");

    try (KeySetSource s = create(file, true, key)) {
      assertThat(s).isInstanceOf(SelfManagedKeySetSource.class);
      assertThat(s.kind()).isEqualTo("self-managed");
    }
    try (KeySetSource s = create(file, false, key)) {
      assertThat(s).isInstanceOf(FileKeySetSource.class);
      assertThat(s.kind()).isEqualTo("file");
    }
    try (KeySetSource s = create(null, false, key)) {
      assertThat(s).isInstanceOf(EnvKeySource.class);
      assertThat(s.kind()).isEqualTo("env");
    }
    try (KeySetSource s = create(null, false, null)) {
      assertThat(s).isInstanceOf(EphemeralKeySource.class);
      assertThat(s.kind()).isEqualTo("ephemeral");
    }
  }

  @Test
  void selfManagedWithoutAFileIsAnErrorNotAnEphemeralKey() {
    assertThatThrownBy(() -> create(null, true, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MACP_AUTH_KEYSET_FILE");
  }

  @Test
  void aMissingPollIntervalMeansOneSecond() {
    assertThat(PollThreads.pollInterval(null)).isEqualTo(Duration.ofSeconds(1));
  }
}
