package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Deployment status a real Deployment controller would report for the simulated pods, so the
 * operator's Available condition reads the same fields as in a cluster.
 */
final class DeploymentStatusCalculator {
  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";

  /**
   * @param pods every running pod, old and new template
   * @param updated pods on the current template
   * @param ready pods answering /readyz (any template)
   * @param updatedReady pods on the current template answering /readyz
   */
  record Counts(int desired, int pods, int updated, int ready, int updatedReady) {}

  private DeploymentStatusCalculator() {}

  /**
   * @param previous the status now stored, to keep a condition's transition time while its status
   *     holds
   */
  static DeploymentStatus compute(long generation, Counts c, DeploymentStatus previous, Instant now) {
    boolean available = c.ready() >= c.desired();
    boolean complete = c.updatedReady() == c.desired() && c.pods() == c.desired();
    int unavailable = Math.max(0, c.desired() - c.ready());
    String ts = now.toString();
    DeploymentCondition availableCond =
        condition(previous, AVAILABLE, available,
            available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
            ts);
    DeploymentCondition progressingCond =
        condition(previous, PROGRESSING, true,
            complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
            complete ? "ReplicaSet has successfully progressed." : "ReplicaSet is progressing.",
            ts);
    return new DeploymentStatusBuilder()
        .withObservedGeneration(generation)
        .withReplicas(c.pods())
        .withUpdatedReplicas(c.updated())
        .withReadyReplicas(c.ready())
        .withAvailableReplicas(c.ready())
        .withUnavailableReplicas(unavailable == 0 ? null : unavailable)
        .withConditions(availableCond, progressingCond)
        .build();
  }

  /** Same status ignoring condition timestamps: no write when nothing a reader cares about moved. */
  static boolean sameIgnoringTimes(DeploymentStatus a, DeploymentStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getReplicas(), b.getReplicas())
        && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
        && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
        && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas())
        && Objects.equals(a.getUnavailableReplicas(), b.getUnavailableReplicas())
        && conditionsKey(a).equals(conditionsKey(b));
  }

  private static List<String> conditionsKey(DeploymentStatus s) {
    return Optional.ofNullable(s.getConditions()).orElse(List.of()).stream()
        .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .sorted()
        .toList();
  }

  private static DeploymentCondition condition(
      DeploymentStatus previous, String type, boolean status, String reason, String message, String now) {
    String value = status ? "True" : "False";
    Optional<DeploymentCondition> old =
        Optional.ofNullable(previous)
            .map(DeploymentStatus::getConditions)
            .flatMap(cs -> cs.stream().filter(c -> type.equals(c.getType())).findFirst());
    String transition =
        old.filter(c -> value.equals(c.getStatus()))
            .map(DeploymentCondition::getLastTransitionTime)
            .orElse(now);
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(transition)
        .withLastUpdateTime(now)
        .build();
  }
}
