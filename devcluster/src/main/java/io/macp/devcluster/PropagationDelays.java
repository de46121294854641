package io.macp.devcluster;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How long a Secret update takes to reach one replica's mounted files. The real kubelet syncs a
 * pod's volumes on its own schedule, so replicas see the same update at different moments, each
 * within the declared propagation delay. Every policy here is deterministic: the same inputs give
 * the same delay, so a failing run can be replayed.
 */
@FunctionalInterface
public interface PropagationDelays {
  /**
   * @param update the replica's update counter (0, 1, 2, ...): each update gets its own delay
   * @param max the upper bound; the result is always within [0, max]
   */
  Duration delay(ReplicaRef replica, long update, Duration max);

  /** Uniform in [0, max], independent per replica and per update, reproducible from the seed. */
  static PropagationDelays seeded(long seed) {
    return (replica, update, max) -> {
      long bound = Math.max(0, max.toMillis());
      if (bound == 0) {
        return Duration.ZERO;
      }
      long mixed = seed * 0x9E3779B97F4A7C15L + replica.key().hashCode() * 0xC2B2AE3D27D4EB4FL + update;
      return Duration.ofMillis(new SplittableRandom(mixed).nextLong(bound + 1));
    };
  }

  /** Replica i of n waits (i + 1) / n of the bound: the last replica always takes the longest. */
  static PropagationDelays staggered() {
    return (replica, update, max) -> {
      int n = Math.max(1, replica.replicas());
      int i = Math.min(Math.max(0, replica.index()), n - 1);
      return Duration.ofMillis(Math.max(0, max.toMillis()) * (i + 1) / n);
    };
  }

  /** Every replica sees every update at once: the bound is ignored. */
  static PropagationDelays none() {
    return (replica, update, max) -> Duration.ZERO;
  }
}
