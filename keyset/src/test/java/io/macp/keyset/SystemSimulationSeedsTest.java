package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeds the simulation found failing, replayed on every build. Each was the first failing
 * history of a planner mutant (docs/rotation.md, "Evidence"): 1 (a revoked active key's tombstone
 * removed before it retires, written without the reader's check), 2 (a rotate request without
 * the {@code + D}), 6 and 13 (a pending key of the old algorithm withdrawn within D of its
 * activation), 279 (retention counted from the new maximum TTL instead of the key's own).
 */
class SystemSimulationSeedsTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 6, 13, 279})
  void replaysCleanly(long seed) {
    SystemSimulation.Totals t = SystemSimulation.run(seed);
    assertThat(t.violations).as(t.figure()).isEmpty();
    assertThat(t.failures).isZero();
    assertThat(t.verifications).isPositive();
  }
}
