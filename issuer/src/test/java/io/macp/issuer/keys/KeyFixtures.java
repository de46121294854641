package io.macp.issuer.keys;

import com.nimbusds.jose.jwk.JWK;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.KeySpec;
import io.macp.keyset.ManagedKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Small real key sets (ES256 keys: fast to make) and file helpers shared by the tests. */
final class KeyFixtures {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  private KeyFixtures() {}

  static JWK es256Key() {
    return KeyGenerator.secure().generate(KeySpec.es256());
  }

  /** One key that has been signing since an hour before t. */
  static KeySet signingSince(Instant t) {
    return new KeySet(List.of(ManagedKey.created(es256Key(), t.minus(Duration.ofHours(1)),
        t.minus(Duration.ofHours(1)))));
  }

  /** A valid key set whose only key activates an hour after t. */
  static KeySet onlyFutureKey(Instant t) {
    return new KeySet(List.of(ManagedKey.created(es256Key(), t, t.plus(Duration.ofHours(1)))));
  }

  static void write(Path file, KeySet keySet) throws IOException {
    Files.writeString(file, KeySetJson.write(keySet), StandardCharsets.UTF_8);
  }

  static double failures(MeterRegistry registry, ReloadFailure reason) {
    return registry.get(PolledKeySet.RELOAD_FAILURES).tag("reason", reason.tag()).counter().count();
  }

  static double reloads(MeterRegistry registry) {
    return registry.get(PolledKeySet.RELOADS).counter().count();
  }

  /** The private parts of every key, to prove they never reach a message. */
  static List<String> privateValues(KeySet keySet) {
    return keySet.keys().stream()
        .map(k -> String.valueOf(k.jwk().toJSONObject().get("d")))
        .toList();
  }
}
