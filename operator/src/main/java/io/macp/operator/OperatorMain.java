package io.macp.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.macp.keyset.NativeCrypto;
import io.macp.operator.cluster.BoundedShutdown;
import io.macp.operator.cluster.ClusterProbe;
import io.macp.operator.cluster.ClusterRun;
import io.macp.operator.cluster.ClusterTarget;
import io.macp.operator.cluster.LogFormat;
import io.macp.operator.cluster.OperatorArgs;
import io.macp.operator.cluster.StartupDecision;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar macp-operator.jar --cluster}: the operator against a cluster (kubeconfig context
 * or, in a pod, the in-cluster config) with leader election and a health/metrics server. Outside a
 * pod and without {@code --cluster} it prints its usage and exits 2 (see {@link StartupDecision}).
 * The embedded cluster is the separate {@code macp-devcluster.jar}.
 */
public final class OperatorMain {
  /** Well inside the pod's termination grace period. */
  private static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(10);

  private OperatorMain() {}

  public static void main(String[] args) {
    // before the first logger: logback.xml picks its appender from this
    LogFormat.configure(System.getenv());
    OperatorArgs parsed;
    try {
      parsed = OperatorArgs.parse(args);
    } catch (OperatorArgs.UsageException e) {
      if (e.helpRequested()) {
        System.out.println(e.getMessage());
        return;
      }
      System.err.println("macp-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(parsed));
  }

  /** Runs until stopped; returns the process exit code. */
  static int run(OperatorArgs args) {
    Logger log = LoggerFactory.getLogger(OperatorMain.class);
    boolean insidePod = LogFormat.insidePod(System.getenv());
    if (!StartupDecision.needsProbe(args, insidePod)) {
      // decided before anything else runs: no provider install, no kubeconfig read
      System.err.println("macp-operator: " + StartupDecision.NOT_TOLD);
      return 2;
    }
    // Key generation dominates creating many issuers; the native provider makes it ~9x faster
    // under a burst (docs/benchmarks.md).
    if (!"false".equalsIgnoreCase(System.getenv("MACP_AUTH_NATIVE_CRYPTO"))) {
      log.info("crypto provider: {}", NativeCrypto.install());
    }
    Config config = Config.autoConfigure(null);
    ClusterProbe.Result probe = ClusterProbe.probe(config, ClusterProbe.DEFAULT_TIMEOUT);
    StartupDecision decision = StartupDecision.decide(args, insidePod, probe);
    if (decision.run() != StartupDecision.Run.CLUSTER) {
      log.error("{}", decision.message());
      return 1;
    }
    log.info("cluster mode against {}", probe.description());
    return runCluster(config, insidePod, args.healthPort(), log);
  }

  private static int runCluster(Config config, boolean insidePod, int healthPort, Logger log) {
    String lease = MacpOperatorFactory.leaseNamespace(System.getenv()) + "/" + MacpOperatorFactory.LEASE_NAME;
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    ClusterRun run;
    try {
      run =
          ClusterRun.start(
              client,
              new InetSocketAddress(healthPort),
              (c, registry) -> MacpOperatorFactory.create(c, registry, Clock.systemUTC(), true),
              operator -> {
                // stdout, before anything is reconciled: the person who started it sees where
                System.out.println(ClusterTarget.of(config, insidePod, operator, lease).describe());
                System.out.flush();
              });
    } catch (Exception e) {
      log.error("operator failed to start", e);
      client.close();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  if (!BoundedShutdown.run("operator-stop", run::close, SHUTDOWN_LIMIT)) {
                    log.warn("operator did not stop within {}s; exiting anyway", SHUTDOWN_LIMIT.toSeconds());
                  }
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
