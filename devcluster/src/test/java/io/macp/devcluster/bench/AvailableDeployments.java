package io.macp.devcluster.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.macp.operator.resources.IssuerNames;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the Deployment controller and kubelet for the scale benchmark, which runs no issuer pods:
 * every issuer Deployment is reported fully available for its current generation through the
 * status subresource, as a real cluster would once the pods pass readiness. It runs in the API
 * server's process so its cache does not count in the operator's heap.
 */
final class AvailableDeployments implements AutoCloseable {
  private final KubernetesClient client;
  private final ExecutorService writers;
  private final AtomicLong statusWrites = new AtomicLong();
  private SharedIndexInformer<Deployment> informer;

  AvailableDeployments(KubernetesClient client, int writerThreads) {
    this.client = client;
    this.writers = Executors.newFixedThreadPool(writerThreads, r -> {
      Thread t = new Thread(r, "bench-deployment-controller");
      t.setDaemon(true);
      return t;
    });
  }

  AvailableDeployments start() {
    informer = client.apps().deployments().inAnyNamespace()
        .withLabelSelector(IssuerNames.MANAGED_SELECTOR)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Deployment d) {
            writers.execute(() -> markAvailable(d));
          }

          @Override
          public void onUpdate(Deployment old, Deployment d) {
            writers.execute(() -> markAvailable(d));
          }

          @Override
          public void onDelete(Deployment d, boolean unknownFinalState) {}
        }, 0);
    return this;
  }

  long statusWrites() {
    return statusWrites.get();
  }

  /** Writes the available status unless it is already there for this generation. */
  private void markAvailable(Deployment d) {
    if (isAvailable(d)) {
      return;
    }
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    String now = Instant.now().toString();
    d.setStatus(new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(replicas)
        .withUpdatedReplicas(replicas)
        .withReadyReplicas(replicas)
        .withAvailableReplicas(replicas)
        .withConditions(new DeploymentConditionBuilder()
            .withType("Available").withStatus("True").withReason("MinimumReplicasAvailable")
            .withLastTransitionTime(now).withLastUpdateTime(now).build())
        .build());
    try {
      client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d)
          .updateStatus();
      statusWrites.incrementAndGet();
    } catch (KubernetesClientException e) {
      // A conflict means a newer version exists; its own event brings it here again.
      if (e.getCode() != 409 && e.getCode() != 404) {
        System.err.println("bench: status write of " + d.getMetadata().getName() + " failed: "
            + e.getMessage());
      }
    }
  }

  static boolean isAvailable(Deployment d) {
    DeploymentStatus s = d.getStatus();
    Integer want = d.getSpec().getReplicas();
    return s != null
        && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        && s.getAvailableReplicas() != null
        && s.getAvailableReplicas().equals(want == null ? 1 : want);
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    writers.shutdownNow();
    try {
      writers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
