package io.macp.issuer.keys;

import io.macp.issuer.files.FileContent;
import io.macp.issuer.files.PollThreads;
import io.macp.issuer.files.PolledValue;
import io.macp.keyset.InvalidKeySetException;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.ManagedKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the two key-set file sources add to the issuer's polled-file mechanism
 * ({@link PolledValue}): how a key-set file is read and why it is refused ({@link ReloadFailure}),
 * the key-set metrics and the {@link KeySetListener}, and the source lifecycle (load, watch once,
 * closed for good). Messages name paths, kids and reasons, never key material or file contents.
 */
final class PolledKeySet implements PolledValue.Events<KeySet> {
  static final String RELOADS = "macp.issuer.keyset.reloads";
  static final String RELOAD_FAILURES = "macp.issuer.keyset.reload.failures";
  /** A key set with a few RSA-4096 keys is tens of KiB; anything this big is not one. */
  static final long MAX_BYTES = 1024 * 1024;
  /** The name in log lines and of the poll thread ({@code reload-keyset}). */
  static final String NAME = "keyset";

  private final Duration pollInterval;
  private final Counter reloads;
  private final Map<ReloadFailure, Counter> failures = new EnumMap<>(ReloadFailure.class);

  // Guarded by this.
  private PolledValue<?, KeySet> value;
  private boolean watching;
  private boolean closed;
  // Written before polling starts, read on the poll thread.
  private volatile KeySetListener listener;
  // Poll thread only.
  private boolean listenerHeardRefusal;

  /** @throws IllegalArgumentException for a poll interval that is not positive */
  PolledKeySet(Duration pollInterval, MeterRegistry registry) {
    this.pollInterval = PollThreads.pollInterval(pollInterval);
    Objects.requireNonNull(registry, "registry");
    reloads = Counter.builder(RELOADS)
        .description("Key sets accepted after startup (file changes and self-managed rotations)")
        .register(registry);
    // Registered up front so dashboards see 0 rather than no series.
    for (ReloadFailure reason : ReloadFailure.values()) {
      failures.put(reason, Counter.builder(RELOAD_FAILURES)
          .description("Key-set updates refused; the last good key set stayed in force")
          .tag("reason", reason.tag())
          .register(registry));
    }
  }

  /** Loads the first key set from {@code source}; a problem becomes {@code failure}'s exception. */
  synchronized <R, E extends Exception> KeySet load(PolledValue.Source<R, KeySet> source,
      PolledValue.StartupFailure<E> failure) throws E {
    checkOpen();
    if (watching) {
      throw new IllegalStateException("already watching: the key set is loaded");
    }
    value = new PolledValue<>(NAME, source, this, failure);
    return value.current();
  }

  synchronized boolean loaded() {
    return value != null;
  }

  synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("key source is closed");
    }
  }

  /** Starts polling; {@code watching} names what would be started twice ("watching <file>"). */
  synchronized void watch(KeySetListener listener, String watching) {
    Objects.requireNonNull(listener, "listener");
    checkOpen();
    if (this.watching) {
      throw new IllegalStateException("already " + watching);
    }
    if (value == null) {
      throw new IllegalStateException("call initial() before watch()");
    }
    this.listener = listener;
    this.watching = true;
    value.start(pollInterval);
  }

  /** One check of the file and the clock, as the poll thread makes it. */
  boolean checkNow() {
    return polled().checkNow();
  }

  Optional<Instant> nextCheckAt() {
    return polled().nextCheckAt();
  }

  private synchronized PolledValue<?, KeySet> polled() {
    if (value == null) {
      throw new IllegalStateException("call initial() first");
    }
    return value;
  }

  /** Whether the poll thread has ended (after {@link #close()}), or never started. */
  synchronized boolean stopped() {
    return value == null || value.stopped();
  }

  void close() {
    PolledValue<?, KeySet> toClose;
    synchronized (this) {
      closed = true;
      toClose = value;
    }
    if (toClose != null) {
      toClose.close(); // outside the lock, so a running check can finish
    }
  }

  @Override
  public void loaded(KeySet first) {
    // The sources log their own startup line; only changes after startup are counted.
  }

  @Override
  public void changed(KeySet keySet) {
    reloads.increment();
    listenerHeardRefusal = false;
    KeySetListener l = listener;
    if (l != null) {
      l.accepted(keySet);
    }
  }

  @Override
  public void refused(PolledValue.Refusal refusal) {
    ReloadFailure reason = ReloadFailure.ofTag(refusal.reason()).orElse(ReloadFailure.INVALID);
    failures.get(reason).increment();
    KeySetListener l = listener;
    // A failed write refused nothing: the key set in use simply stays, so the listener isn't told.
    if (reason != ReloadFailure.UNWRITABLE && l != null) {
      l.rejected(reason.tag() + ": " + refusal.message());
      listenerHeardRefusal = true;
    }
  }

  @Override
  public void recovered(KeySet keySet) {
    // The listener heard of the refusal: tell it the key set in force is good again.
    if (listenerHeardRefusal) {
      changed(keySet);
    }
  }

  /**
   * What both sources' readers share: a key set equal to the one in force is no change (the same
   * keys re-projected, or written back), and the clock and log wording of the key sets.
   */
  abstract static class Reader<R> implements PolledValue.Source<R, KeySet> {
    final Clock clock;

    Reader(Clock clock) {
      this.clock = clock;
    }

    @Override
    public boolean same(KeySet next, KeySet current) {
      return next.equals(current);
    }

    @Override
    public Instant now() {
      return clock.instant();
    }

    @Override
    public String describe(KeySet value) {
      return PolledKeySet.describe(value, clock.instant());
    }
  }

  static PolledValue.Refused refused(ReloadFailure reason, String problem) {
    return new PolledValue.Refused(reason.tag(), problem);
  }

  /**
   * Reads the file by its real path ({@link FileContent}: a kubelet {@code ..data} swap is a new
   * identity).
   *
   * @throws PolledValue.Refused {@code missing}, {@code unreadable}, or {@code invalid} when larger
   *     than {@link #MAX_BYTES}
   */
  static FileContent read(Path file) throws PolledValue.Refused {
    try {
      return FileContent.read(file, MAX_BYTES);
    } catch (NoSuchFileException e) {
      throw refused(ReloadFailure.MISSING, "key-set file " + file + " does not exist");
    } catch (FileContent.TooLargeException e) {
      throw refused(ReloadFailure.INVALID,
          "key-set file " + file + " is larger than " + MAX_BYTES + " bytes");
    } catch (IOException e) {
      // The exception class names the cause (AccessDeniedException, ...); its message is a path.
      throw refused(ReloadFailure.UNREADABLE,
          "key-set file " + file + " can't be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** @throws PolledValue.Refused {@code invalid}, naming the problem and never key material */
  static KeySet parse(Path file, byte[] bytes) throws PolledValue.Refused {
    try {
      return KeySetJson.parse(bytes);
    } catch (InvalidKeySetException e) {
      // InvalidKeySetException messages never hold key material (keyset module contract).
      throw refused(ReloadFailure.INVALID,
          "key-set file " + file + " is not a valid key set: " + e.getMessage());
    }
  }

  /** Why a parsed key set can't be used yet; shared so both file sources say it alike. */
  static String noSignerProblem(Path file, Instant now) {
    return "key-set file " + file + " has no key that may sign at " + now;
  }

  /** Kids and the current signer: all a person needs to follow a rotation in the log. */
  static String describe(KeySet keySet, Instant now) {
    return "kids " + keySet.keys().stream().map(ManagedKey::kid).toList()
        + ", signer now " + keySet.signerAt(now).map(ManagedKey::kid).orElse("none");
  }
}
