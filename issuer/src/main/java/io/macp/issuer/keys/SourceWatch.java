package io.macp.issuer.keys;

import io.macp.issuer.files.PollThreads;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The watching lifecycle every file-backed source shares: started once by {@code watch()}, never
 * after {@code close()}, its one daemon thread stopped on close. It uses the owning source's lock,
 * so a poll running under that lock and the source's own state stay consistent with it.
 */
final class SourceWatch {
  private final Object lock;
  private final String threadName;
  private final Duration pollInterval;

  // Guarded by lock.
  private ScheduledExecutorService executor;
  private boolean closed;

  SourceWatch(Object lock, String threadName, Duration pollInterval) {
    this.lock = lock;
    this.threadName = threadName;
    this.pollInterval = PollThreads.pollInterval(pollInterval);
  }

  void checkOpen() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("key source is closed");
      }
    }
  }

  /** Throws unless watching may start: the source is open and not yet watching. */
  void checkStartable(String watching) {
    synchronized (lock) {
      checkOpen();
      if (executor != null) {
        throw new IllegalStateException("already " + watching);
      }
    }
  }

  /**
   * Starts running {@code poll} every poll interval; {@code what} names it in error logs. Callers
   * call {@link #checkStartable} first, with their own wording.
   */
  void start(String what, Runnable poll) {
    synchronized (lock) {
      checkStartable("started");
      executor = PollThreads.single(threadName);
      long ms = pollInterval.toMillis();
      executor.scheduleWithFixedDelay(
          PollThreads.guarded(what, poll), ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether one-off tasks may still be scheduled: started and not closed. */
  boolean running() {
    synchronized (lock) {
      return !closed && executor != null;
    }
  }

  /** Runs {@code task} once after {@code delayMs}; only while {@link #running()}. */
  ScheduledFuture<?> schedule(String what, Runnable task, long delayMs) {
    synchronized (lock) {
      return executor.schedule(PollThreads.guarded(what, task), delayMs, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether the thread has ended (after {@link #close()}), or never started. */
  boolean stopped() {
    synchronized (lock) {
      return executor == null || executor.isTerminated();
    }
  }

  /** Closes for good; the thread is stopped outside the lock so a running poll can finish. */
  void close() {
    ScheduledExecutorService toStop;
    synchronized (lock) {
      closed = true;
      toStop = executor;
    }
    PollThreads.stop(toStop);
  }
}
