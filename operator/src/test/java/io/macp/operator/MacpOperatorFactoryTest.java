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

  @Test
  void leaseLivesInTheInstalledOperatorsNamespaceNotTheContextsNamespace() {
    // the client's namespace is "ops": an operator started by hand with --cluster must still
    // compete for the installed operator's Lease in macp-system, never make its own
    assertThat(MacpOperatorFactory.leaseNamespace(java.util.Map.of())).isEqualTo("macp-system");
    assertThat(MacpOperatorFactory.leaseNamespace(java.util.Map.of("POD_NAMESPACE", " ")))
        .isEqualTo("macp-system");
    assertThat(MacpOperatorFactory.leaseNamespace(java.util.Map.of("POD_NAMESPACE", "ops-2")))
        .isEqualTo("ops-2");
    try (KubernetesClient client = client()) {
      Operator operator =
          MacpOperatorFactory.create(client, new SimpleMeterRegistry(), Clock.systemUTC(), true);
      assertThat(operator.getConfigurationService().getLeaderElectionConfiguration())
          .flatMap(LeaderElectionConfiguration::getLeaseNamespace)
          .contains(System.getenv().getOrDefault("POD_NAMESPACE", "macp-system"));
    }
  }

  @Test
  void leaseMatchesTheInstalledRbac() throws Exception {
    String rbac = java.nio.file.Files.readString(
        java.nio.file.Path.of("..", "deploy", "rbac.yaml"));
    assertThat(rbac).contains("namespace: " + MacpOperatorFactory.LEASE_NAMESPACE);
    assertThat(rbac).contains("resources: [\"leases\"]");
  }

  /** A client that is never used to connect: the operator is only built, not started. */
  private static KubernetesClient client() {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").withNamespace("ops").build())
        .build();
  }
}
