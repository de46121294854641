package io.macp.issuer.files;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's polled-file mechanism: keeps a value built from files current without a restart.
 * Polls on one daemon thread ({@link PollThreads}), compares an identity of what was read (real
 * paths and SHA-256 of the bytes, see {@link FileContent}, so a kubelet {@code ..data} symlink
 * swap is seen even when modification times say nothing), and rebuilds only on change. A change
 * that cannot be read or built is logged once and counted once per distinct problem, and the last
 * good value stays in force. Used for mint policies with their token directories and for TLS
 * material; the key sources share its threads and {@link FileContent}.
 *
 * @param <R> the raw content read from the files
 * @param <T> the value built from it
 */
public final class PolledValue<R, T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolledValue.class);

  /** Raw content and a digest over all of it. */
  public record Snapshot<R>(R raw, String digest) {}

  /** Reads and builds; exceptions carry a message a person can act on, never a secret. */
  public interface Source<R, T> {
    Snapshot<R> read() throws Exception;

    T build(R raw) throws Exception;
  }

  /** Marks exceptions whose message is written for a person: shown without the class name. */
  public interface ShownAsIs {}

  /** Counts a refused change (once per distinct problem); {@code name} is the value's name. */
  @FunctionalInterface
  public interface RefusalCounter {
    void refused(String name);
  }

  /** Builds the message of a startup failure: the source's problem, prefixed by the name. */
  @FunctionalInterface
  public interface StartupFailure<E extends Exception> {
    E of(String message, Exception cause);
  }

  private final String name;
  private final Source<R, T> source;
  private final RefusalCounter refusals;
  private final Consumer<T> onChange;
  private volatile T current;
  private String currentDigest;
  private String lastRefusal;
  private ScheduledExecutorService poller;

  /**
   * Loads the first value; fails (with the reason) when the files are unusable at startup.
   *
   * @param failure makes the startup exception from {@code "<name>: <problem>"}
   */
  public <E extends Exception> PolledValue(String name, Source<R, T> source,
      RefusalCounter refusals, Consumer<T> onChange, StartupFailure<E> failure) throws E {
    this.name = name;
    this.source = source;
    this.refusals = refusals;
    this.onChange = onChange;
    try {
      Snapshot<R> first = source.read();
      this.current = source.build(first.raw());
      this.currentDigest = first.digest();
    } catch (Exception e) {
      throw failure.of(name + ": " + describe(e), e);
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
    poller = PollThreads.single("reload-" + name);
    long ms = Math.max(100, interval.toMillis());
    poller.scheduleWithFixedDelay(PollThreads.guarded(name + ": reload check", () -> {
      try {
        checkNow();
      } finally {
        afterEachCheck.accept(current);
      }
    }), ms, ms, TimeUnit.MILLISECONDS);
  }

  private void refuse(String message) {
    if (Objects.equals(message, lastRefusal)) {
      return; // same problem as at the last poll: already logged and counted
    }
    lastRefusal = message;
    refusals.refused(name);
    LOG.warn("{}: {}; keeping the last good version", name, message);
  }

  private static String describe(Exception e) {
    return e instanceof ShownAsIs || e.getMessage() == null
        ? Objects.toString(e.getMessage(), e.getClass().getSimpleName())
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Override
  public void close() {
    ScheduledExecutorService toStop;
    synchronized (this) {
      toStop = poller;
      poller = null;
    }
    PollThreads.stop(toStop);
  }
}
