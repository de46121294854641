package io.macp.issuer.files;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's one polled-file mechanism: keeps a value built from files current without a restart.
 * Used for key sets (operator-written and self-managed), mint policies with their token
 * directories, and TLS material.
 *
 * <p>Polls on one daemon thread ({@link PollThreads}), compares an identity of what was read (real
 * paths and SHA-256 of the bytes, see {@link FileContent}, so a kubelet {@code ..data} symlink swap
 * is seen even when modification times say nothing), and rebuilds only on change. A change that
 * cannot be read or built is refused: logged once (WARN) and counted once per distinct problem,
 * and the last good value stays in force. While the files stay as they are, a source may still
 * re-evaluate the value against the clock ({@link Source#refresh}) and ask for a check at an
 * instant ({@link Source#nextCheckAt}): how a self-managed key set rotates on time.
 *
 * @param <R> the raw content read from the files
 * @param <T> the value built from it
 */
public final class PolledValue<R, T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolledValue.class);

  /** Raw content and a digest over all of it. */
  public record Snapshot<R>(R raw, String digest) {}

  /**
   * Reads and builds; exceptions carry a message a person can act on, never a secret. All methods
   * run on the poll thread (or the caller of {@link #checkNow}), one at a time.
   */
  public interface Source<R, T> {
    Snapshot<R> read() throws Exception;

    T build(R raw) throws Exception;

    /**
     * Re-evaluates the value in force while its files are unchanged, e.g. a rotation that is due;
     * empty when nothing is due. Throwing refuses like a failed build. Default: never changes.
     */
    default Optional<T> refresh(T current) throws Exception {
      return Optional.empty();
    }

    /**
     * Whether a value built from changed files is the one in force after all (the same keys
     * re-projected under a new path): then it is taken silently. Default: never.
     */
    default boolean same(T next, T current) {
      return false;
    }

    /**
     * The digest of the files after a successful {@link #build} or {@link #refresh}: the one read,
     * unless the source wrote the files itself (then the next poll must not see a change).
     */
    default String settledDigest(String readDigest) {
      return readDigest;
    }

    /** An instant to check again at besides the poll interval (a planned deadline). */
    default Optional<Instant> nextCheckAt(T current) {
      return Optional.empty();
    }

    /** The clock {@link #nextCheckAt} is read against. */
    default Instant now() {
      return Instant.now();
    }

    /** The value in a log line (never a secret), or null for "the last good version". */
    default String describe(T value) {
      return null;
    }
  }

  /** Marks exceptions whose message is written for a person: shown without the class name. */
  public interface ShownAsIs {}

  /**
   * A problem the source classified: {@code reason} is a short tag (a metric label), the message
   * is for a person. The same reason for the same files is reported once.
   */
  public static class Refused extends Exception implements ShownAsIs {
    private static final long serialVersionUID = 1L;
    private final String reason;

    public Refused(String reason, String message) {
      super(message);
      this.reason = Objects.requireNonNull(reason, "reason");
    }

    public String reason() {
      return reason;
    }
  }

  /**
   * One reported refusal.
   *
   * @param name the value's name
   * @param reason the source's tag ({@link Refused}), or null when the source did not classify it
   * @param message why, for a person; never a secret
   */
  public record Refusal(String name, String reason, String message) {}

  /** Hears what happens to the value, one call at a time; keep calls short. */
  public interface Events<T> {
    /** The first value, loaded by the constructor. */
    default void loaded(T value) {
      changed(value);
    }

    /** A new value is in force. */
    void changed(T value);

    /** A change was refused (once per distinct problem); the last good value stays. */
    default void refused(Refusal refusal) {}

    /** After a refusal, the files are back to (or rebuilt into) the value in force. */
    default void recovered(T value) {}
  }

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
  private final Events<T> events;
  private volatile T current;
  // Guarded by this.
  private String currentDigest;
  private String lastRefusal;
  private ScheduledExecutorService poller;
  private ScheduledFuture<?> extraCheck;
  private Instant extraCheckAt;

  /**
   * Loads the first value; fails (with the reason) when the files are unusable at startup.
   *
   * @param failure makes the startup exception from {@code "<name>: <problem>"}
   */
  public <E extends Exception> PolledValue(String name, Source<R, T> source,
      RefusalCounter refusals, Consumer<T> onChange, StartupFailure<E> failure) throws E {
    this(name, source, new Events<T>() {
      @Override
      public void changed(T value) {
        onChange.accept(value);
      }

      @Override
      public void refused(Refusal refusal) {
        refusals.refused(refusal.name());
      }
    }, failure);
  }

  /** As above, with every event told to {@code events}. */
  public <E extends Exception> PolledValue(String name, Source<R, T> source, Events<T> events,
      StartupFailure<E> failure) throws E {
    this.name = name;
    this.source = source;
    this.events = events;
    try {
      Snapshot<R> first = source.read();
      this.current = source.build(first.raw());
      this.currentDigest = source.settledDigest(first.digest());
    } catch (Exception e) {
      throw failure.of(name + ": " + describe(e), e);
    }
    events.loaded(current);
  }

  public T current() {
    return current;
  }

  /** Checks the files (and the clock) once; true when a new value was taken. */
  public synchronized boolean checkNow() {
    Snapshot<R> snap;
    try {
      snap = source.read();
    } catch (Exception e) {
      refuse(e, "cannot read: " + describe(e), null);
      return false;
    }
    if (snap.digest().equals(currentDigest)) {
      Optional<T> due;
      try {
        due = source.refresh(current);
      } catch (Exception e) {
        refuse(e, describe(e), snap.digest());
        return false;
      }
      currentDigest = source.settledDigest(snap.digest());
      if (due.isEmpty()) {
        recover();
        return false;
      }
      take(due.get());
      return true;
    }
    T next;
    try {
      next = source.build(snap.raw());
    } catch (Exception e) {
      refuse(e, "refused the changed files: " + describe(e) + " [content " + snap.digest() + "]",
          snap.digest());
      return false;
    }
    currentDigest = source.settledDigest(snap.digest());
    if (source.same(next, current)) {
      recover();
      return false;
    }
    take(next);
    return true;
  }

  /** The instant the source asked to be checked at next, if any. */
  public synchronized Optional<Instant> nextCheckAt() {
    return source.nextCheckAt(current);
  }

  private void take(T next) {
    current = next;
    lastRefusal = null;
    String described = source.describe(next);
    LOG.info("{}: reloaded{}", name, described == null ? "" : ": " + described);
    events.changed(next);
  }

  /** The files are in force as they are: a refusal outstanding is over. */
  private void recover() {
    if (lastRefusal != null) {
      lastRefusal = null;
      String described = source.describe(current);
      LOG.info("{}: usable again, keeping {}", name,
          described == null ? "the version in force" : described);
      events.recovered(current);
    }
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
    // Callers bound their intervals (key sets: at least 10ms; security files: at least 1s).
    long ms = Math.max(1, interval.toMillis());
    poller.scheduleWithFixedDelay(PollThreads.guarded(name + ": reload check", () -> {
      try {
        checkNow();
      } finally {
        afterEachCheck.accept(current);
        scheduleExtraCheck();
      }
    }), ms, ms, TimeUnit.MILLISECONDS);
    scheduleExtraCheck();
  }

  /**
   * Sets a one-off check at the source's next instant, unless one is pending for it. Polls check
   * too; this only makes time-based changes punctual. The instant is asked again after every
   * check, so a timer that fires early (or late) only moves a check, never skips one.
   */
  private synchronized void scheduleExtraCheck() {
    if (poller == null || poller.isShutdown()) {
      return;
    }
    Optional<Instant> at = source.nextCheckAt(current);
    if (at.isEmpty()) {
      return;
    }
    if (at.get().equals(extraCheckAt) && extraCheck != null && !extraCheck.isDone()) {
      return;
    }
    if (extraCheck != null) {
      extraCheck.cancel(false);
    }
    extraCheckAt = at.get();
    // Rounded up so the check runs at or just after the instant, not a fraction before it.
    long delayMs = Math.max(0, Duration.between(source.now(), at.get()).toMillis() + 1);
    try {
      extraCheck = poller.schedule(PollThreads.guarded(name + ": timed check", () -> {
        synchronized (this) {
          extraCheck = null; // this run is the check: one that fired early must be set again
        }
        checkNow();
        scheduleExtraCheck();
      }), delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // close() is stopping the thread: no more checks
    }
  }

  private void refuse(Exception e, String unclassified, String digest) {
    String reason = e instanceof Refused r ? r.reason() : null;
    String message = reason == null ? unclassified : "refused (" + reason + "): " + e.getMessage();
    // The same reason for the same files is one problem, even if its message names the time.
    String key = reason == null ? message : reason + "@" + digest + ":"
        + (digest == null ? e.getMessage() : "");
    if (Objects.equals(key, lastRefusal)) {
      return; // same problem as at the last check: already logged and counted
    }
    lastRefusal = key;
    String kept = source.describe(current);
    LOG.warn("{}: {}; keeping {}", name, message, kept == null ? "the last good version" : kept);
    events.refused(new Refusal(name, reason, reason == null ? message : e.getMessage()));
  }

  private static String describe(Exception e) {
    return e instanceof ShownAsIs || e.getMessage() == null
        ? Objects.toString(e.getMessage(), e.getClass().getSimpleName())
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Whether the poll thread has ended (after {@link #close()}), or never started. */
  public synchronized boolean stopped() {
    return poller == null || poller.isTerminated();
  }

  @Override
  public void close() {
    ScheduledExecutorService toStop;
    synchronized (this) {
      toStop = poller;
    }
    PollThreads.stop(toStop);
  }
}
