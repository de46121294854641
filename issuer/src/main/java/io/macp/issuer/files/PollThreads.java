package io.macp.issuer.files;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one daemon thread each polled file set (a key set, a mint policy with its tokens, TLS
 * material) runs on, and how it is stopped: {@link PolledValue}'s threads.
 */
public final class PollThreads {
  /** The key-set poll interval when none is configured. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(PollThreads.class);

  private PollThreads() {}

  public static ScheduledExecutorService single(String name) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread t = new Thread(task, name);
      // A watcher must never keep the JVM alive after the server stopped.
      t.setDaemon(true);
      return t;
    });
    // On close, pending polls and deadline timers are dropped, not waited for.
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Wraps a periodic task: an exception would otherwise silently cancel every later run. */
  public static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("{} failed; trying again at the next poll", what, e);
      }
    };
  }

  /**
   * Lets a running step finish (steps take milliseconds; interrupting one mid-read would only
   * report a spurious unreadable file) and drops everything scheduled.
   */
  public static void stop(ExecutorService executor) {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        executor.shutdownNow();
        LOG.warn("poll thread did not stop within 2s; interrupted it");
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** The key-set poll interval: the default when unset; must be positive. */
  public static Duration pollInterval(Duration configured) {
    if (configured == null) {
      return DEFAULT_POLL_INTERVAL;
    }
    if (configured.isNegative() || configured.isZero()) {
      throw new IllegalArgumentException(
          "MACP_AUTH_KEYSET_POLL_INTERVAL must be longer than 0s (got " + configured + ")");
    }
    return configured;
  }
}
