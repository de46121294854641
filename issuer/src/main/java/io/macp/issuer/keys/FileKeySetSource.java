package io.macp.issuer.keys;

import io.macp.keyset.KeySet;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key-set file written by someone else (the operator, through a mounted Secret), polled for
 * changes. A change is a different resolved real path or different bytes, so the kubelet's atomic
 * {@code ..data} symlink swap is seen even when the file's size and mtime look the same. Polling is
 * the whole mechanism: it is simple and cannot miss an event.
 *
 * <p>Startup fails fast when the file is missing, invalid or has no signer: a pod without keys
 * should crash-loop visibly rather than serve nothing. Later bad updates are refused and the last
 * good key set stays in force.
 */
public final class FileKeySetSource implements KeySetSource {
  private static final Logger LOG = LoggerFactory.getLogger(FileKeySetSource.class);

  private final Path file;
  private final Clock clock;
  private final ReloadReporter reporter;
  private final Object lock = new Object();
  private final SourceWatch watch;

  // Guarded by lock.
  private KeySet current;
  private String lastIdentity;
  private boolean lastRefused;
  private KeySet waitingForSigner;
  private KeySetListener listener;

  public FileKeySetSource(Path file, Clock clock, Duration pollInterval, MeterRegistry registry) {
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.watch = new SourceWatch(lock, "macp-keyset-watch", pollInterval);
    this.reporter = new ReloadReporter(registry);
  }

  @Override
  public String kind() {
    return "file";
  }

  @Override
  public KeySet initial() {
    synchronized (lock) {
      Instant now = clock.instant();
      KeySetFileSnapshot snapshot = KeySetFileSnapshot.read(file);
      if (!snapshot.loaded()) {
        throw new IllegalStateException(
            snapshot.problem() + "; the issuer can't start without a usable key set (MACP_AUTH_KEYSET_FILE)");
      }
      if (snapshot.keySet().signerAt(now).isEmpty()) {
        throw new IllegalStateException(KeySetFileSnapshot.noSignerProblem(file, now)
            + "; the issuer can't start without a key that may sign");
      }
      current = snapshot.keySet();
      lastIdentity = snapshot.identity();
      LOG.info("Key set loaded from {}: {}", file, ReloadReporter.describe(current, now));
      return current;
    }
  }

  @Override
  public void watch(KeySetListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      watch.checkStartable("watching " + file);
      this.listener = listener;
      watch.start("polling " + file, this::poll);
    }
  }

  /** One look at the file; the watcher thread calls it every poll interval. */
  void poll() {
    synchronized (lock) {
      Instant now = clock.instant();
      KeySetFileSnapshot snapshot = KeySetFileSnapshot.read(file);
      if (snapshot.sameAs(lastIdentity)) {
        // A set refused only for lacking a signer becomes usable once its first key activates.
        if (waitingForSigner != null && waitingForSigner.signerAt(now).isPresent()) {
          accept(waitingForSigner, now);
        }
        return;
      }
      lastIdentity = snapshot.identity();
      waitingForSigner = null;
      if (!snapshot.loaded()) {
        refuse(snapshot.failure(), snapshot.problem(), now);
        return;
      }
      KeySet candidate = snapshot.keySet();
      if (candidate.signerAt(now).isEmpty()) {
        waitingForSigner = candidate;
        refuse(ReloadFailure.NO_SIGNER, KeySetFileSnapshot.noSignerProblem(file, now), now);
        return;
      }
      if (candidate.equals(current) && !lastRefused) {
        return; // same keys under a new path, e.g. the kubelet re-projected an unchanged Secret
      }
      accept(candidate, now);
    }
  }

  private void accept(KeySet keySet, Instant now) {
    current = keySet;
    waitingForSigner = null;
    lastRefused = false;
    reporter.accepted(keySet, now, file.toString(), listener);
  }

  private void refuse(ReloadFailure reason, String problem, Instant now) {
    lastRefused = true;
    reporter.rejected(reason, problem, current, now, listener);
  }

  /** Whether the watcher thread has ended (after {@link #close()}). */
  boolean stopped() {
    return watch.stopped();
  }

  @Override
  public void close() {
    watch.close();
  }
}
