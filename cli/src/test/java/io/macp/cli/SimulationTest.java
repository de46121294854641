package io.macp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.operator.policy.IssuerPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulation is the planner's timeline, and the timeline view draws it. */
class SimulationTest {
  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void everyPeriodANewKeySignsAfterBeingPublishedForTheLeadTime() {
    RotationPolicy p = new RotationPolicy(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ZERO,
        Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(20));
    Simulation sim = Simulation.run(new IssuerPolicy(p, KeySpec.es256(), Duration.ofSeconds(10),
        Duration.ofSeconds(20), "https://issuer.example", null), T0, 3, KeyGenerator.secure());
    assertThat(sim.keys()).extracting(k -> k.kid()).startsWith("key-1", "key-2", "key-3");
    assertThat(sim.keys().get(1).activateAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(sim.keys().get(2).activateAt()).isEqualTo(T0.plusSeconds(60));
    // each successor was public for at least the lead time before it signed
    sim.keys().stream().skip(1).forEach(k ->
        assertThat(Duration.between(k.createdAt(), k.activateAt())).isGreaterThanOrEqualTo(p.leadTime()));
    assertThat(sim.keys().get(0).removeAt()).isEqualTo(T0.plusSeconds(30 + 21));
    assertThat(sim.events()).contains("t+30s       key-2 signs new tokens", "t+51s       key-1 leaves the JWKS");
  }

  @Test
  void timelineMarksNowAndThePhases() {
    var k1 = new TimelineView.KeyLine("key-1", T0, T0, T0.plusSeconds(30), T0.plusSeconds(51), null);
    var k2 = new TimelineView.KeyLine("key-2", T0, T0.plusSeconds(30), null, null, null);
    String out = TimelineView.render(List.of(k1, k2), T0.plusSeconds(15), T0, T0.plusSeconds(60));
    String[] lines = out.split("\n");
    assertThat(lines[1]).endsWith("| now");
    assertThat(lines[2]).startsWith("key-1").contains("=====").contains("~~~~");
    assertThat(lines[3]).startsWith("key-2").contains("-----").contains("=====");
    assertThat(lines[3].indexOf("=")).isGreaterThan(lines[1].indexOf("|"));
  }
}
