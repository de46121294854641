package io.macp.devcluster.bench;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.reconciler.IssuerConditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches the benchmark's MacpIssuers and records, per issuer, when its status first showed
 * KeysReady and Ready (for its current generation), in nanoseconds of {@link System#nanoTime}.
 * A watch instead of polling, so the measurement puts no list load on the API server.
 */
final class ReadinessTracker implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, Long> created = new ConcurrentHashMap<>();
  private final Map<String, Long> keysReady = new ConcurrentHashMap<>();
  private final Map<String, Long> ready = new ConcurrentHashMap<>();
  private final CountDownLatch allReady;
  private SharedIndexInformer<MacpIssuer> informer;

  ReadinessTracker(KubernetesClient client, String namespace, int expected) {
    this.client = client;
    this.namespace = namespace;
    this.allReady = new CountDownLatch(expected);
  }

  ReadinessTracker start() {
    informer = client.resources(MacpIssuer.class).inNamespace(namespace)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(MacpIssuer issuer) {
            observe(issuer);
          }

          @Override
          public void onUpdate(MacpIssuer old, MacpIssuer issuer) {
            observe(issuer);
          }

          @Override
          public void onDelete(MacpIssuer issuer, boolean unknownFinalState) {}
        }, 0);
    return this;
  }

  /** Call just before creating the issuer. */
  void created(String name, long nanos) {
    created.put(name, nanos);
  }

  boolean awaitAllReady(Duration timeout) throws InterruptedException {
    return allReady.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  int keysReadyCount() {
    return keysReady.size();
  }

  int readyCount() {
    return ready.size();
  }

  long lastKeysReadyNanos() {
    return keysReady.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  long lastReadyNanos() {
    return ready.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** Per issuer, creation to Ready, sorted ascending. */
  List<Duration> createdToReady() {
    return ready.entrySet().stream()
        .filter(e -> created.containsKey(e.getKey()))
        .map(e -> Duration.ofNanos(e.getValue() - created.get(e.getKey())))
        .sorted()
        .toList();
  }

  private void observe(MacpIssuer issuer) {
    long now = System.nanoTime();
    MacpIssuerStatus status = issuer.getStatus();
    if (status == null
        || !Objects.equals(status.getObservedGeneration(), issuer.getMetadata().getGeneration())) {
      return;
    }
    String name = issuer.getMetadata().getName();
    if (isTrue(status, IssuerConditions.KEYS_READY)) {
      keysReady.putIfAbsent(name, now);
    }
    if (isTrue(status, IssuerConditions.READY) && ready.putIfAbsent(name, now) == null) {
      allReady.countDown();
    }
  }

  private static boolean isTrue(MacpIssuerStatus status, String type) {
    List<Condition> conditions = status.getConditions();
    return conditions != null && conditions.stream()
        .anyMatch(c -> type.equals(c.getType()) && IssuerConditions.TRUE.equals(c.getStatus()));
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
