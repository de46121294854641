package io.macp.operator.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.macp.operator.health.HealthServer;
import io.macp.operator.health.OperatorReadiness;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: the operator plus its health and metrics server. The health server starts first,
 * so liveness answers while informers sync and readiness turns 200 once they have.
 */
public final class ClusterRun implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterRun.class);

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final HealthServer health;
  private final Operator operator;

  private ClusterRun(
      PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics, HealthServer health, Operator operator) {
    this.registry = registry;
    this.gcMetrics = gcMetrics;
    this.health = health;
    this.operator = operator;
  }

  /**
   * @param healthAddress where /healthz, /readyz and /metrics listen
   * @param operatorFactory builds the operator on the client and the metrics registry (in
   *     production {@code MacpOperatorFactory.create(client, registry, clock, true)})
   */
  public static ClusterRun start(
      KubernetesClient client,
      InetSocketAddress healthAddress,
      BiFunction<KubernetesClient, MeterRegistry, Operator> operatorFactory)
      throws IOException {
    return start(client, healthAddress, operatorFactory, operator -> {});
  }

  /**
   * As above; {@code beforeStart} sees the built operator before it starts (the startup banner
   * reads the watched namespaces from it).
   */
  public static ClusterRun start(
      KubernetesClient client,
      InetSocketAddress healthAddress,
      BiFunction<KubernetesClient, MeterRegistry, Operator> operatorFactory,
      Consumer<Operator> beforeStart)
      throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    Operator operator = operatorFactory.apply(client, registry);
    HealthServer health =
        HealthServer.start(healthAddress, new OperatorReadiness(operator), registry::scrape);
    log.info("health and metrics on port {} (/healthz, /readyz, /metrics)", health.port());
    ClusterRun run = new ClusterRun(registry, gcMetrics, health, operator);
    try {
      beforeStart.accept(operator);
      operator.start();
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
    return run;
  }

  public int healthPort() {
    return health.port();
  }

  public Operator operator() {
    return operator;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops reconciling first, then the endpoints, so a scrape never sees a half-stopped operator. */
  @Override
  public void close() {
    try {
      operator.stop();
    } catch (RuntimeException e) {
      log.warn("operator did not stop cleanly: {}", e.toString());
    } finally {
      health.close();
      gcMetrics.close();
      registry.close();
    }
  }
}
