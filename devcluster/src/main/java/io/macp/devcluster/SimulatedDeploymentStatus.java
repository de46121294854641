package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the Deployment controller's status writer: counts a simulated Deployment's pods and writes
 * {@code status} (through {@link DeploymentStatusCalculator}) when it changed, so the operator's
 * {@code Available}/{@code Ready} conditions work.
 */
final class SimulatedDeploymentStatus {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedDeploymentStatus.class);

  private final KubernetesClient client;
  private final Clock clock;

  SimulatedDeploymentStatus(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void write(SimulatedDeployment state) {
    int pods = 0;
    int updated = 0;
    int ready = 0;
    int updatedReady = 0;
    for (SimulatedPod pod : state.livePods()) {
      boolean current = pod.spec.templateHash().equals(state.spec.templateHash());
      pods++;
      updated += current ? 1 : 0;
      ready += pod.ready ? 1 : 0;
      updatedReady += current && pod.ready ? 1 : 0;
    }
    DeploymentStatus previous = state.latest.getStatus();
    long generation = Optional.ofNullable(state.latest.getMetadata().getGeneration()).orElse(0L);
    DeploymentStatus status =
        DeploymentStatusCalculator.compute(
            generation,
            new DeploymentStatusCalculator.Counts(state.spec.replicas(), pods, updated, ready, updatedReady),
            previous,
            clock.instant());
    if (DeploymentStatusCalculator.sameIgnoringTimes(previous, status)) {
      return;
    }
    try {
      // PUT /status: the mock applies it to whatever it holds now. A JSON patch computed from an
      // older copy fails inside the mock (no answer at all) when a concurrent PUT of the Deployment,
      // which has no status subresource there, has meanwhile erased the status.
      Deployment withStatus = new DeploymentBuilder(state.latest).withStatus(status).build();
      Deployment written =
          client.apps().deployments().inNamespace(state.namespace).resource(withStatus).updateStatus();
      if (written != null) {
        state.latest = written;
      }
    } catch (RuntimeException e) {
      // Deleted meanwhile, or the API is shutting down: the next event retries.
      LOG.debug("cannot write the status of Deployment {}/{}: {}", state.namespace, state.name, e.toString());
    }
  }
}
