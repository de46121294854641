package io.macp.issuer.security;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a value built from files current without a restart: polls, compares a digest of the raw
 * content (which survives a kubelet {@code ..data} symlink swap, unlike modification times), and
 * rebuilds only on change. A change that cannot be read or built is logged and counted once, and
 * the last good value stays in force.
 *
 * @param <R> the raw content read from the files
 * @param <T> the value built from it
 */
public final class PollingReloader<R, T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PollingReloader.class);

  /** Raw content and a digest over all of it. */
  public record Snapshot<R>(R raw, String digest) {}

  /** Reads and builds; exceptions carry a message a person can act on, never a secret. */
  public interface Source<R, T> {
    Snapshot<R> read() throws Exception;

    T build(R raw) throws Exception;
  }

  private final String name;
  private final Source<R, T> source;
  private final SecurityMetrics metrics;
  private final Consumer<T> onChange;
  private volatile T current;
  private String currentDigest;
  private String lastRefusal;
  private ScheduledExecutorService poller;

  /** Loads the first value; fails (with the reason) when the files are unusable at startup. */
  public PollingReloader(String name, Source<R, T> source, SecurityMetrics metrics,
      Consumer<T> onChange) throws InvalidPolicyException {
    this.name = name;
    this.source = source;
    this.metrics = metrics;
    this.onChange = onChange;
    try {
      Snapshot<R> first = source.read();
      this.current = source.build(first.raw());
      this.currentDigest = first.digest();
    } catch (Exception e) {
      throw new InvalidPolicyException(name + ": " + describe(e), e);
    }
    onChange.accept(current);
  }

  public T current() {
    return current;
  }

  /** Checks the files once; true when a new value was taken. */
  public synchronized boolean checkNow() {
    Snapshot<R> snap;
    try {
      snap = source.read();
    } catch (Exception e) {
      refuse("cannot read: " + describe(e));
      return false;
    }
    if (snap.digest().equals(currentDigest)) {
      lastRefusal = null;
      return false;
    }
    T next;
    try {
      next = source.build(snap.raw());
    } catch (Exception e) {
      refuse("refused the changed files: " + describe(e) + " [content " + snap.digest() + "]");
      return false;
    }
    current = next;
    currentDigest = snap.digest();
    lastRefusal = null;
    LOG.info("{}: reloaded", name);
    onChange.accept(next);
    return true;
  }

  /** Starts polling on a daemon thread; stopped by {@link #close()}. */
  public synchronized void start(Duration interval) {
    start(interval, value -> {});
  }

  /**
   * Like {@link #start(Duration)}, and after every check (a reload or not, a refusal or not)
   * runs {@code afterEachCheck} on the value in force: for parts that must follow the files even
   * while the rest keeps its last good version (credential revocation).
   */
  public synchronized void start(Duration interval, Consumer<T> afterEachCheck) {
    if (poller != null) {
      return;
    }
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "reload-" + name);
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(100, interval.toMillis());
    poller.scheduleWithFixedDelay(
        () -> checkSafely(afterEachCheck), ms, ms, TimeUnit.MILLISECONDS);
  }

  private void checkSafely(Consumer<T> afterEachCheck) {
    try {
      checkNow();
    } catch (RuntimeException e) {
      LOG.error("{}: reload check failed", name, e);
    }
    try {
      afterEachCheck.accept(current);
    } catch (RuntimeException e) {
      LOG.error("{}: check after reload failed", name, e);
    }
  }

  private void refuse(String message) {
    if (Objects.equals(message, lastRefusal)) {
      return; // same problem as at the last poll: already logged and counted
    }
    lastRefusal = message;
    metrics.reloadFailed(name);
    LOG.warn("{}: {}; keeping the last good version", name, message);
  }

  private static String describe(Exception e) {
    return e instanceof InvalidPolicyException || e.getMessage() == null
        ? Objects.toString(e.getMessage(), e.getClass().getSimpleName())
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }
}
