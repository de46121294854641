package io.macp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.operator.model.v1alpha1.VerifiersStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The next-key coverage lines (the activation gate's view), which {@code kubectl macp status} and
 * {@code kubectl macp timeline} both print.
 */
class CoverageViewTest {
  static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");

  @Test
  void aHeldActivationShowsCoverageThePlannedTimeAndTheLaggingClients() {
    VerifiersStatus v = new VerifiersStatus();
    v.setOutcome("Held");
    v.setNextKid("k7");
    v.setKnown(4);
    v.setHoldingNextKey(3);
    v.setPlannedActivateAt("2026-11-30T06:00:10Z");
    v.setActivateAt("2026-11-30T06:00:40Z");
    v.setHoldouts(List.of("10.0.3.7 (macp-runtime/1.4)"));
    v.setReplicasRead("2/2");
    assertThat(CoverageView.render(v, NOW)).isEqualTo(
        "  next key coverage: 3/4 known verifiers hold k7, activates "
            + Times.relative("2026-11-30T06:00:40Z", NOW) + " (held; planned "
            + Times.relative("2026-11-30T06:00:10Z", NOW) + ") [Held; replicas read 2/2]\n"
            + "    lacking it: 10.0.3.7 (macp-runtime/1.4)\n");
  }

  @Test
  void nothingCollectedSaysSoAndNoGateShowsNothing() {
    VerifiersStatus v = new VerifiersStatus();
    v.setOutcome("NotCollected");
    v.setReplicasRead("0/2");
    assertThat(CoverageView.render(v, NOW))
        .isEqualTo("  next key coverage: NotCollected (replicas read 0/2)\n");
    assertThat(CoverageView.render(null, NOW)).isEmpty();
  }
}
