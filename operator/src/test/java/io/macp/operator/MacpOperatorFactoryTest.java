package io.macp.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class MacpOperatorFactoryTest {

  @Test
  void configuresTheOperatorForServersWithoutServerSideApply() {
    try (KubernetesClient client = client()) {
      Operator operator =
          MacpOperatorFactory.create(client, new SimpleMeterRegistry(), Clock.systemUTC(), false);
      var config = operator.getConfigurationService();
      assertThat(config.useSSAToPatchPrimaryResource()).isFalse();
      assertThat(config.ssaBasedCreateUpdateMatchForDependentResources()).isFalse();
      assertThat(config.getLeaderElectionConfiguration()).isEmpty();
      assertThat(operator.getRegisteredControllers()).hasSize(1);
      assertThat(operator.getKubernetesClient()).isSameAs(client);
    }
  }

  @Test
  void leaderElectionUsesTheOperatorLease() {
    try (KubernetesClient client = client()) {
      Operator operator =
          MacpOperatorFactory.create(client, new SimpleMeterRegistry(), Clock.systemUTC(), true);
      assertThat(operator.getConfigurationService().getLeaderElectionConfiguration())
          .map(LeaderElectionConfiguration::getLeaseName)
          .contains(MacpOperatorFactory.LEASE_NAME);
    }
  }

  @Test
  void losingTheLeaseIsHandledByOurCallbackNotByJosdksExitInsideShutdown() {
    var leading = new java.util.concurrent.atomic.AtomicInteger();
    LeaderElectionConfiguration c = MacpOperatorFactory.leaderElection("ops", leading);
    assertThat(c.isExitOnStopLeading()).isFalse();
    assertThat(c.getLeaderCallbacks()).isPresent();
    assertThat(c.getLeaseNamespace()).contains("ops");
    // the leader gauge follows the Lease (losing it exits the process, so only gaining is run)
    c.getLeaderCallbacks().orElseThrow().onStartLeading();
    assertThat(leading.get()).isEqualTo(1);
  }

  @Test
  void theLeaderGaugeReadsOneWithoutLeaderElectionAndZeroBeforeTheLease() {
    for (boolean election : new boolean[] {false, true}) {
      var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
      try (KubernetesClient client = client()) {
        MacpOperatorFactory.create(client, registry, java.time.Clock.systemUTC(), election);
        System.gc(); // the gauge must not lose its value to garbage collection
        assertThat(registry.get(MacpOperatorFactory.LEADER_GAUGE).gauge().value())
            .isEqualTo(election ? 0d : 1d);
      }
    }
  }

  /** A client that is never used to connect: the operator is only built, not started. */
  private static KubernetesClient client() {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").withNamespace("ops").build())
        .build();
  }
}
