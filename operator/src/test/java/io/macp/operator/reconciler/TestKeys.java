package io.macp.operator.reconciler;

import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetPlanner;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.RotationRequests;
import java.time.Duration;
import java.time.Instant;

/** Key sets made by the real planner, for unit tests of the pure classes. */
final class TestKeys {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  /** Period 10s, lead time 4s (D1 + C1 + G1 + K1), retention 6s (T5 + K1). */
  static final RotationPolicy POLICY = new RotationPolicy(Duration.ofSeconds(10),
      Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
      Duration.ofSeconds(5));
  static final KeySetPlanner PLANNER = new KeySetPlanner(KeyGenerator.secure());

  private TestKeys() {}

  /** Genesis at T0: an active key and a pre-published next key activating at T0 + 10s. */
  static KeySet genesis() {
    return PLANNER.plan(KeySet.empty(), POLICY, KeySpec.es256(), T0, RotationRequests.NONE).desired();
  }

  static KeySet planAt(KeySet current, Instant now) {
    return PLANNER.plan(current, POLICY, KeySpec.es256(), now, RotationRequests.NONE).desired();
  }
}
