package io.macp.issuer.keys;

import io.macp.issuer.files.FileContent;
import io.macp.issuer.files.PolledValue;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.KeySetPlan;
import io.macp.keyset.KeySetPlanner;
import io.macp.keyset.KeySpec;
import io.macp.keyset.PlanRefusedException;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.RotationRequests;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key-set file the issuer creates and rotates itself, for running without Kubernetes (one host,
 * Docker Compose) and for the embedded default. It runs the same {@link KeySetPlanner} the operator
 * runs, so the timeline is identical; the file is its only memory, so a restart keeps every key.
 *
 * <p>The file is polled by the issuer's polled-file mechanism ({@link PolledValue}); each check is
 * a planning step: a changed file (an external edit) is read and planned from, an unchanged one is
 * planned again from the key set in force and the clock ({@link PolledValue.Source#refresh}); a
 * plan that changed is written atomically and handed to the listener. Checks run on one daemon
 * thread, at every poll and at the plan's next deadline. Deadlines are always recomputed from the
 * stored timestamps, so a late or early timer only delays a step, never skews the timeline.
 *
 * <p>A file that exists but can't be used is never overwritten: at startup it stops the issuer; at
 * run time it is refused like the file source refuses it, and rotation pauses until it is fixed. A
 * file that disappears while running is written back from the key set in use. A plan the planner
 * refuses ({@link PlanRefusedException}) is refused the same way: reported once, nothing written,
 * the key set in force stays.
 */
public final class SelfManagedKeySetSource implements KeySetSource {
  private static final Logger LOG = LoggerFactory.getLogger(SelfManagedKeySetSource.class);
  private static final String PAUSES = "; self-managed rotation pauses until the file is repaired";

  private final Path file;
  private final RotationPolicy policy;
  private final KeySpec keySpec;
  private final KeySetPlanner planner;
  private final Clock clock;
  private final PolledKeySet keys;
  private final Object lock = new Object();

  // Guarded by lock.
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
    this.keys = new PolledKeySet(pollInterval, registry);
  }

  @Override
  public String kind() {
    return "self-managed";
  }

  /** Loads the file (creating it on first start), plans once and writes if needed. */
  @Override
  public KeySet initial() throws IOException {
    synchronized (lock) {
      keys.checkOpen();
      if (writerLock == null) {
        writerLock = SingleWriterLock.acquire(file);
      }
      try {
        Planning planning = new Planning();
        // A RuntimeException at startup (the planner's, a write's) stops the issuer as it is.
        KeySet first = keys.load(planning, (message, cause) -> cause instanceof RuntimeException r
            ? r : (RuntimeException) new IllegalStateException(message, cause));
        planning.next = null; // the first timed step: the key set's next change, as at any refusal
        LOG.info("Self-managed key set in {}: {}", file,
            PolledKeySet.describe(first, clock.instant()));
        return first;
      } catch (UncheckedIOException e) {
        release();
        throw e.getCause();
      } catch (RuntimeException e) {
        release();
        throw e;
      }
    }
  }

  /** Guarded by lock. */
  private void release() {
    writerLock.close();
    writerLock = null;
  }

  @Override
  public void watch(KeySetListener listener) {
    keys.watch(listener, "rotating " + file);
  }

  /**
   * One planning step, as the poll thread and the deadline timer run it: take in external edits,
   * plan from the file and the clock, write if the plan changed, tell the listener about a new key
   * set. Returns when the next step is due.
   */
  Optional<Instant> step() {
    keys.checkNow();
    return keys.nextCheckAt();
  }

  /**
   * The planning steps as a {@link PolledValue.Source}. Its state is touched only by the
   * constructor of the polled value and then under its lock, one step at a time.
   */
  private final class Planning extends PolledKeySet.Reader<FileContent> {
    private boolean started;
    /** The key set in force: the planner's last result (the polled value holds it or an equal one). */
    private KeySet inForce;
    /** The last plan's next deadline; null after a refusal. */
    private Optional<Instant> next;
    private String written;
    private boolean writeFailing;
    private boolean reportedMissing;

    Planning() {
      super(SelfManagedKeySetSource.this.clock);
    }

    /** The file, or null when it does not exist (first start, or deleted: written back). */
    @Override
    public PolledValue.Snapshot<FileContent> read() throws PolledValue.Refused {
      next = null;
      try {
        FileContent content = PolledKeySet.read(file);
        reportedMissing = false;
        return new PolledValue.Snapshot<>(content, content.identity());
      } catch (PolledValue.Refused e) {
        if (ReloadFailure.MISSING.tag().equals(e.reason())) {
          return new PolledValue.Snapshot<>(null, "missing:" + file);
        }
        throw refusal(ReloadFailure.ofTag(e.reason()).orElseThrow(), e.getMessage());
      }
    }

    /** Plans from the file as read (an external edit, or the file at startup). */
    @Override
    public KeySet build(FileContent content) throws PolledValue.Refused {
      Instant now = clock.instant();
      KeySet base;
      if (content != null) {
        try {
          base = PolledKeySet.parse(file, content.bytes());
        } catch (PolledValue.Refused e) {
          throw refusal(ReloadFailure.INVALID, e.getMessage());
        }
        if (!started && OwnerOnlyFiles.readableByOthers(file)) {
          LOG.warn("Key-set file {} holds private keys and is readable by group or others;"
              + " run chmod 600 on it", file);
        }
      } else if (!started) {
        LOG.info("Key-set file {} does not exist yet: creating it with a first key", file);
        base = KeySet.empty();
      } else {
        if (!reportedMissing) {
          LOG.warn("Key-set file {} disappeared; writing the key set in use back", file);
          reportedMissing = true;
        }
        base = inForce;
      }
      KeySet planned = plan(base, now, content == null);
      started = true;
      return planned;
    }

    /** Plans from the key set in force while the file is unchanged: rotations fall due here. */
    @Override
    public Optional<KeySet> refresh(KeySet current) throws PolledValue.Refused {
      KeySet planned = plan(current, clock.instant(), false);
      return planned.equals(current) ? Optional.empty() : Optional.of(planned);
    }

    /**
     * Plans, refuses a plan without a signer or one the planner refuses, writes when the plan
     * changed (or the file is gone) and remembers the plan's deadline.
     */
    private KeySet plan(KeySet base, Instant now, boolean fileGone) throws PolledValue.Refused {
      KeySetPlan plan;
      try {
        plan = planner.plan(base, policy, keySpec, now, RotationRequests.NONE);
      } catch (PlanRefusedException e) {
        if (!started) {
          throw e;
        }
        throw PolledKeySet.refused(ReloadFailure.PLAN_REFUSED, "the key-set planner refused to plan "
            + file + ": " + e.getMessage() + "; nothing is written, rotation waits for the next poll");
      } catch (IllegalArgumentException e) {
        if (!started) {
          throw e;
        }
        // The file's settings don't fit the policy (e.g. a larger tokens.maxTtl).
        throw refusal(ReloadFailure.INVALID,
            "key-set file " + file + " can't be planned: " + e.getMessage());
      }
      plan.warnings().forEach(w -> LOG.warn("Key-set planner: {}", w));
      if (plan.desired().signerAt(now).isEmpty()) {
        throw started
            ? PolledKeySet.refused(ReloadFailure.NO_SIGNER,
                PolledKeySet.noSignerProblem(file, now) + PAUSES)
            : PolledKeySet.refused(ReloadFailure.NO_SIGNER, PolledKeySet.noSignerProblem(file, now)
                + " and the issuer will not overwrite it; repair the file or move it away");
      }
      if (plan.changed() || fileGone) {
        write(plan.desired());
      }
      next = plan.nextDeadline();
      inForce = plan.desired();
      return plan.desired();
    }

    private void write(KeySet keySet) throws PolledValue.Refused {
      byte[] bytes = KeySetJson.write(keySet).getBytes(StandardCharsets.UTF_8);
      try {
        written = FileContent.identity(OwnerOnlyFiles.writeAtomically(file, bytes), bytes);
      } catch (IOException e) {
        if (!started) {
          throw new UncheckedIOException(e); // initial() throws the IOException itself
        }
        writeFailing = true;
        throw PolledKeySet.refused(ReloadFailure.UNWRITABLE, "key-set file " + file
            + " can't be written (" + e.getClass().getSimpleName() + "); retrying at every poll");
      }
      if (writeFailing) {
        LOG.info("Key-set file {} written again", file);
        writeFailing = false;
      }
    }

    /** What a refused file means: at startup the issuer stops, later rotation pauses. */
    private PolledValue.Refused refusal(ReloadFailure reason, String problem) {
      return PolledKeySet.refused(reason, problem + (started ? PAUSES
          : "; the issuer will not overwrite it: repair the file, or move it away to start"
              + " with new keys (tokens signed by the old keys then stop verifying)"));
    }

    /** What the source itself wrote is not a change at the next poll. */
    @Override
    public String settledDigest(String readDigest) {
      String settled = written != null ? written : readDigest;
      written = null;
      return settled;
    }

    /** The plan's next deadline; after a refusal, the next change of the key set in force. */
    @Override
    public Optional<Instant> nextCheckAt(KeySet current) {
      return next != null ? next : current.nextChangeAfter(clock.instant());
    }
  }

  /** Whether the rotation thread has ended (after {@link #close()}). */
  boolean stopped() {
    return keys.stopped();
  }

  @Override
  public void close() {
    keys.close();
    synchronized (lock) {
      if (writerLock != null) {
        writerLock.close();
        writerLock = null;
      }
    }
  }
}
