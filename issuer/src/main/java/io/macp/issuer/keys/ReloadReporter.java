package io.macp.issuer.keys;

import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the listener, the log and the metrics about accepted and refused key sets, the same way for
 * every watched source. Logs name kids and reasons only, never key material. Callers report each
 * new state once, so the log is not flooded while a file stays broken.
 */
final class ReloadReporter {
  static final String RELOADS = "macp.issuer.keyset.reloads";
  static final String RELOAD_FAILURES = "macp.issuer.keyset.reload.failures";

  private static final Logger LOG = LoggerFactory.getLogger(ReloadReporter.class);

  private final Counter reloads;
  private final Map<ReloadFailure, Counter> failures = new EnumMap<>(ReloadFailure.class);

  ReloadReporter(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    reloads = Counter.builder(RELOADS)
        .description("Key sets accepted after startup (file changes and self-managed rotations)")
        .register(registry);
    // Registered up front so dashboards see 0 rather than no series.
    for (ReloadFailure reason : ReloadFailure.values()) {
      failures.put(reason, Counter.builder(RELOAD_FAILURES)
          .description("Key-set updates refused; the last good key set stayed in force")
          .tag("reason", reason.tag())
          .register(registry));
    }
  }

  void accepted(KeySet keySet, Instant now, String origin, KeySetListener listener) {
    reloads.increment();
    LOG.info("Key set updated from {}: {}", origin, describe(keySet, now));
    if (listener != null) {
      listener.accepted(keySet);
    }
  }

  void rejected(
      ReloadFailure reason, String problem, KeySet kept, Instant now, KeySetListener listener) {
    failures.get(reason).increment();
    LOG.warn("Key-set update refused ({}): {}; keeping {}", reason.tag(), problem,
        kept == null ? "no key set" : describe(kept, now));
    if (listener != null) {
      listener.rejected(reason.tag() + ": " + problem);
    }
  }

  /** Kids and the current signer: all a person needs to follow a rotation in the log. */
  static String describe(KeySet keySet, Instant now) {
    return "kids " + keySet.keys().stream().map(ManagedKey::kid).toList()
        + ", signer now " + keySet.signerAt(now).map(ManagedKey::kid).orElse("none");
  }
}
