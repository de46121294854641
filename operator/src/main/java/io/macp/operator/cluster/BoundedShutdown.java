package io.macp.operator.cluster;

import java.time.Duration;

/**
 * Runs a shutdown step with a time limit. JOSDK calls {@code System.exit} when a leader stops
 * leading, also when the operator is stopped from a shutdown hook; {@code System.exit} inside a
 * running hook blocks forever, so the step runs on its own thread and the hook gives up on it after
 * the limit instead of hanging the pod until the kubelet kills it.
 */
public final class BoundedShutdown {
  private BoundedShutdown() {}

  /** @return whether the step finished within the limit */
  public static boolean run(String name, Runnable step, Duration limit) {
    Thread worker = new Thread(step, name);
    worker.setDaemon(true);
    worker.start();
    try {
      worker.join(limit.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !worker.isAlive();
  }
}
