package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeploymentStatusCalculatorTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void availableOnlyWhenEveryDesiredReplicaIsReady() {
    DeploymentStatus partial = DeploymentStatusCalculator.compute(3,
        new DeploymentStatusCalculator.Counts(2, 2, 2, 1, 1), null, T0);
    assertThat(partial.getObservedGeneration()).isEqualTo(3L);
    assertThat(partial.getReadyReplicas()).isEqualTo(1);
    assertThat(partial.getUnavailableReplicas()).isEqualTo(1);
    assertThat(partial.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Available");
      assertThat(c.getStatus()).isEqualTo("False");
    });

    DeploymentStatus full = DeploymentStatusCalculator.compute(3,
        new DeploymentStatusCalculator.Counts(2, 2, 2, 2, 2), partial, T0.plusSeconds(5));
    assertThat(full.getUnavailableReplicas()).isNull();
    assertThat(full.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Available");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getLastTransitionTime()).isEqualTo(T0.plusSeconds(5).toString());
    });
    assertThat(DeploymentStatusCalculator.sameIgnoringTimes(partial, full)).isFalse();
  }

  @Test
  void anUnchangedStatusKeepsItsTransitionTimesAndCountsAsTheSame() {
    DeploymentStatus first = DeploymentStatusCalculator.compute(1,
        new DeploymentStatusCalculator.Counts(1, 1, 1, 1, 1), null, T0);
    DeploymentStatus again = DeploymentStatusCalculator.compute(1,
        new DeploymentStatusCalculator.Counts(1, 1, 1, 1, 1), first, T0.plusSeconds(60));
    assertThat(again.getConditions()).allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo(T0.toString()));
    assertThat(DeploymentStatusCalculator.sameIgnoringTimes(first, again)).isTrue();
  }
}
