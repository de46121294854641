package io.macp.issuer.keys;

import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.KeySetPlan;
import io.macp.keyset.KeySetPlanner;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.RotationRequests;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key-set file the issuer creates and rotates itself, for running without Kubernetes (one host,
 * Docker Compose) and for the embedded default. It runs the same {@link KeySetPlanner} the operator
 * runs, so the timeline is identical; the file is its only memory, so a restart keeps every key.
 *
 * <p>Each planning step reads the file, plans from it and the clock, writes atomically when the
 * plan changed and hands a new key set to the listener. Steps run on one daemon thread, at every
 * poll (which also notices external edits) and at the plan's next deadline. Deadlines are always
 * recomputed from the stored timestamps, so a late or early timer only delays a step, never skews
 * the timeline.
 *
 * <p>A file that exists but can't be used is never overwritten: at startup it stops the issuer; at
 * run time it is refused like the file source refuses it, and rotation pauses until it is fixed. A
 * file that disappears while running is written back from the key set in use.
 */
public final class SelfManagedKeySetSource implements KeySetSource {
  private static final Logger LOG = LoggerFactory.getLogger(SelfManagedKeySetSource.class);

  private final Path file;
  private final RotationPolicy policy;
  private final KeySpec keySpec;
  private final KeySetPlanner planner;
  private final Clock clock;
  private final ReloadReporter reporter;
  private final Object lock = new Object();
  private final SourceWatch watch;

  // Guarded by lock.
  private KeySet current;
  private String lastIdentity;
  private ReloadFailure fileRefused;
  private boolean writeFailing;
  private boolean fileBehind;
  private KeySetListener listener;
  private ScheduledFuture<?> deadlineTask;
  private Instant scheduledDeadline;
  private SingleWriterLock writerLock;

  public SelfManagedKeySetSource(
      Path file,
      RotationPolicy policy,
      KeySpec keySpec,
      KeyGenerator generator,
      Clock clock,
      Duration pollInterval,
      MeterRegistry registry) {
    this.file = Objects.requireNonNull(file, "file");
    this.policy = Objects.requireNonNull(policy, "policy").validated();
    this.keySpec = Objects.requireNonNull(keySpec, "keySpec");
    this.planner = new KeySetPlanner(generator);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.watch = new SourceWatch(lock, "macp-keyset-rotate", pollInterval);
    this.reporter = new ReloadReporter(registry);
  }

  @Override
  public String kind() {
    return "self-managed";
  }

  /** Loads the file (creating it on first start), plans once and writes if needed. */
  @Override
  public KeySet initial() throws IOException {
    synchronized (lock) {
      watch.checkOpen();
      if (writerLock == null) {
        writerLock = SingleWriterLock.acquire(file);
      }
      try {
        return load();
      } catch (IOException | RuntimeException e) {
        writerLock.close();
        writerLock = null;
        throw e;
      }
    }
  }

  /** Guarded by lock. */
  private KeySet load() throws IOException {
    Instant now = clock.instant();
    KeySetFileSnapshot snapshot = KeySetFileSnapshot.read(file);
    KeySet stored;
    if (snapshot.loaded()) {
      stored = snapshot.keySet();
      lastIdentity = snapshot.identity();
      if (OwnerOnlyFiles.readableByOthers(file)) {
        LOG.warn("Key-set file {} holds private keys and is readable by group or others;"
            + " run chmod 600 on it", file);
      }
    } else if (snapshot.failure() == ReloadFailure.MISSING) {
      LOG.info("Key-set file {} does not exist yet: creating it with a first key", file);
      stored = KeySet.empty();
    } else {
      throw new IllegalStateException(snapshot.problem()
          + "; the issuer will not overwrite it: repair the file, or move it away to start"
          + " with new keys (tokens signed by the old keys then stop verifying)");
    }
    KeySetPlan plan = planner.plan(stored, policy, keySpec, now, RotationRequests.NONE);
    logWarnings(plan);
    if (plan.desired().signerAt(now).isEmpty()) {
      throw new IllegalStateException(KeySetFileSnapshot.noSignerProblem(file, now)
          + " and the issuer will not overwrite it; repair the file or move it away");
    }
    if (plan.changed()) {
      write(plan.desired());
    }
    current = plan.desired();
    LOG.info("Self-managed key set in {}: {}", file, ReloadReporter.describe(current, now));
    return current;
  }

  @Override
  public void watch(KeySetListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      watch.checkStartable("rotating " + file);
      if (current == null) {
        throw new IllegalStateException("call initial() before watch()");
      }
      this.listener = listener;
      watch.start("self-managed key rotation", this::stepAndReschedule);
      scheduleDeadline(current.nextChangeAfter(clock.instant()));
    }
  }

  /**
   * One planning step: take in external edits, plan from the file and the clock, write if the plan
   * changed, tell the listener about a new key set. Returns when the next step is due.
   */
  Optional<Instant> step() {
    synchronized (lock) {
      Instant now = clock.instant();
      KeySetFileSnapshot snapshot = KeySetFileSnapshot.read(file);
      KeySet base = current;
      String origin = "self-managed rotation of " + file;
      boolean recovered = false;
      if (!snapshot.sameAs(lastIdentity)) {
        lastIdentity = snapshot.identity();
        if (snapshot.loaded()) {
          base = snapshot.keySet();
          origin = "an external edit of " + file;
          // The listener heard of the refusal: tell it the file is good again even if unchanged.
          recovered = fileRefused != null;
          fileRefused = null;
        } else if (snapshot.failure() == ReloadFailure.MISSING) {
          LOG.warn("Key-set file {} disappeared; writing the key set in use back", file);
          fileRefused = null;
          fileBehind = true;
        } else {
          fileRefused = snapshot.failure();
          reporter.rejected(snapshot.failure(),
              snapshot.problem() + "; self-managed rotation pauses until the file is repaired",
              current, now, listener);
          return current.nextChangeAfter(now);
        }
      } else if (fileRefused != null) {
        return current.nextChangeAfter(now); // still the refused content: never overwrite it
      }

      KeySetPlan plan = planner.plan(base, policy, keySpec, now, RotationRequests.NONE);
      logWarnings(plan);
      if (plan.desired().signerAt(now).isEmpty()) {
        fileRefused = ReloadFailure.NO_SIGNER;
        reporter.rejected(ReloadFailure.NO_SIGNER, KeySetFileSnapshot.noSignerProblem(file, now)
                + "; self-managed rotation pauses until the file is repaired",
            current, now, listener);
        return current.nextChangeAfter(now);
      }
      if ((plan.changed() || fileBehind) && !tryWrite(plan.desired(), now)) {
        return current.nextChangeAfter(now); // the next poll tries again
      }
      if (recovered || !plan.desired().equals(current)) {
        current = plan.desired();
        reporter.accepted(current, now, origin, listener);
      }
      return plan.nextDeadline();
    }
  }

  private void stepAndReschedule() {
    Optional<Instant> next = step();
    synchronized (lock) {
      scheduleDeadline(next);
    }
  }

  private void onDeadline() {
    synchronized (lock) {
      deadlineTask = null; // this run is the task: a timer that fired early must be set again
    }
    stepAndReschedule();
  }

  /** Guarded by lock. Polls run steps too; the deadline timer only makes rotations punctual. */
  private void scheduleDeadline(Optional<Instant> deadline) {
    if (!watch.running() || deadline.isEmpty()) {
      return;
    }
    if (deadline.get().equals(scheduledDeadline) && deadlineTask != null && !deadlineTask.isDone()) {
      return;
    }
    if (deadlineTask != null) {
      deadlineTask.cancel(false);
    }
    scheduledDeadline = deadline.get();
    // Rounded up so the step runs at or just after the deadline, not a fraction before it.
    long delayMs = Math.max(0, Duration.between(clock.instant(), deadline.get()).toMillis() + 1);
    deadlineTask = watch.schedule("self-managed key rotation", this::onDeadline, delayMs);
  }

  private boolean tryWrite(KeySet keySet, Instant now) {
    try {
      write(keySet);
      fileBehind = false;
      if (writeFailing) {
        LOG.info("Key-set file {} written again", file);
      }
      writeFailing = false;
      return true;
    } catch (IOException e) {
      if (!writeFailing) {
        // No listener call: nothing was refused, the key set in use simply stays.
        reporter.rejected(ReloadFailure.UNWRITABLE, "key-set file " + file + " can't be written ("
            + e.getClass().getSimpleName() + "); retrying at every poll", current, now, null);
      }
      writeFailing = true;
      return false;
    }
  }

  private void write(KeySet keySet) throws IOException {
    byte[] bytes = KeySetJson.write(keySet).getBytes(StandardCharsets.UTF_8);
    Path real = OwnerOnlyFiles.writeAtomically(file, bytes);
    lastIdentity = KeySetFileSnapshot.identity(real, bytes);
  }

  private void logWarnings(KeySetPlan plan) {
    plan.warnings().forEach(w -> LOG.warn("Key-set planner: {}", w));
  }

  /** Whether the rotation thread has ended (after {@link #close()}). */
  boolean stopped() {
    return watch.stopped();
  }

  @Override
  public void close() {
    watch.close();
    synchronized (lock) {
      if (writerLock != null) {
        writerLock.close();
        writerLock = null;
      }
    }
  }
}
