package io.macp.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySetPlanner;
import io.macp.operator.reconciler.IssuerMetrics;
import io.macp.operator.reconciler.MacpIssuerReconciler;
import io.macp.operator.rbac.OperatorPermissions;
import io.macp.operator.scope.ManagedNamespaces;
import io.macp.operator.scope.OperatorPods;
import io.micrometer.core.instrument.Gauge;
import io.macp.operator.verifiers.ObserverClient;
import io.macp.operator.verifiers.PodVerifierCoverageSource;
import io.macp.operator.verifiers.VerifierCoverageSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the operator: the MacpIssuer reconciler registered on a JOSDK {@link Operator} that uses
 * the given client, metrics registry and clock. The same configuration runs against a real API
 * server and the fabric8 mock server, which has no server-side apply: the primary resource is
 * patched without SSA and dependents are matched and written without SSA.
 */
public final class MacpOperatorFactory {
  /** The Lease two operator replicas compete for (deploy/rbac.yaml grants it). */
  public static final String LEASE_NAME = OperatorPermissions.LEASE;

  /**
   * The installed operator's namespace (deploy/namespace). An operator started by hand with
   * {@code --cluster} competes for the same Lease there, so it can never be a second active
   * leader next to the installed one.
   */
  public static final String LEASE_NAMESPACE = OperatorPods.DEFAULT_NAMESPACE;
  /** 1 while this replica reconciles (leads, or runs without leader election), else 0. */
  public static final String LEADER_GAUGE = "macp_operator_leader";

  private MacpOperatorFactory() {}

  /** Returns an operator ready to {@link Operator#start()}; the caller stops it. */
  public static Operator create(
      KubernetesClient client, MeterRegistry registry, Clock clock, boolean leaderElection) {
    return create(client, registry, clock, leaderElection, KeyGenerator.secure());
  }

  /** As above with a chosen key generator (tests use it to count or speed up generation). */
  public static Operator create(
      KubernetesClient client,
      MeterRegistry registry,
      Clock clock,
      boolean leaderElection,
      KeyGenerator generator) {
    return create(client, registry, clock, leaderElection, generator,
        ManagedNamespaces.allNamespaces());
  }

  /**
   * As above with a chosen source of the issuer replicas' verifier views (the activation gate;
   * embedded runs and tests give one, see docs/verifiers.md).
   */
  public static Operator create(
      KubernetesClient client,
      MeterRegistry registry,
      Clock clock,
      boolean leaderElection,
      KeyGenerator generator,
      VerifierCoverageSource verifiers) {
    return create(client, registry, clock, leaderElection, generator,
        ManagedNamespaces.allNamespaces(), ManagedNamespaces.allNamespaces(), verifiers);
  }

  /**
   * As above, managing only the given namespaces: the controller's informers (the MacpIssuers and
   * every dependent and secondary informer, which follow the controller's namespaces) list and
   * watch only there, so a namespace-scoped install needs Roles there and nowhere else.
   */
  public static Operator create(
      KubernetesClient client,
      MeterRegistry registry,
      Clock clock,
      boolean leaderElection,
      KeyGenerator generator,
      ManagedNamespaces managed) {
    return create(client, registry, clock, leaderElection, generator, managed, managed);
  }

  /**
   * {@code watched} may be wider than {@code managed} only in tests, to show that an issuer seen
   * outside the managed namespaces is still left alone.
   */
  static Operator create(
      KubernetesClient client,
      MeterRegistry registry,
      Clock clock,
      boolean leaderElection,
      KeyGenerator generator,
      ManagedNamespaces managed,
      ManagedNamespaces watched) {
    return create(client, registry, clock, leaderElection, generator, managed, watched,
        new PodVerifierCoverageSource(client, new ObserverClient()));
  }

  private static Operator create(
      KubernetesClient client,
      MeterRegistry registry,
      Clock clock,
      boolean leaderElection,
      KeyGenerator generator,
      ManagedNamespaces managed,
      ManagedNamespaces watched,
      VerifierCoverageSource verifiers) {
    AtomicInteger leading = new AtomicInteger(leaderElection ? 0 : 1);
    Gauge.builder(LEADER_GAUGE, leading, AtomicInteger::get)
        .description("1 while this operator replica reconciles (holds the Lease), else 0")
        .strongReference(true)
        .register(registry);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
              .build())
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withReconciliationTerminationTimeout(Duration.ofSeconds(5));
      if (leaderElection) {
        o.withLeaderElectionConfiguration(leaderElection(leaseNamespace(System.getenv()), leading));
      }
    });
    MacpIssuerReconciler reconciler = new MacpIssuerReconciler(
        clock, new KeySetPlanner(generator), new IssuerMetrics(registry, clock), managed, verifiers,
        OperatorPods.fromEnv(System.getenv()));
    operator.register(reconciler, o -> {
      if (watched.all()) {
        o.watchingAllNamespaces();
      } else {
        o.settingNamespaces(watched.namespaces());
      }
      // before JOSDK adds its finalizer: an issuer outside is never written to at all
      o.withGenericFilter(issuer -> managed.contains(issuer.getMetadata().getNamespace()));
    });
    return operator;
  }

  /**
   * Losing the Lease while running must end the process (a replica that kept reconciling without
   * the Lease would race the new leader), but losing it because we are shutting down must not:
   * JOSDK's own exit-on-stop-leading calls System.exit from inside our shutdown hook and hangs it.
   */
  static LeaderElectionConfiguration leaderElection(String namespace, AtomicInteger leading) {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE_NAME)
        .withLeaseNamespace(namespace)
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> leading.set(1),
            () -> {
              leading.set(0);
              exitUnlessShuttingDown();
            },
            id -> {}))
        .build();
  }

  private static void exitUnlessShuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
    } catch (IllegalStateException shuttingDown) {
      return;
    }
    // Exit from another thread: System.exit runs the shutdown hooks, which stop this operator.
    Thread exit = new Thread(() -> System.exit(1), "lost-leadership-exit");
    exit.setDaemon(false);
    exit.start();
  }

  /**
   * The Lease's namespace: POD_NAMESPACE (downward API, the namespace it is installed in), else
   * {@value #LEASE_NAMESPACE}; never the kubeconfig context's namespace, which would give a second
   * Lease and so a second leader.
   */
  public static String leaseNamespace(Map<String, String> env) {
    return OperatorPods.fromEnv(env).namespace();
  }
}
