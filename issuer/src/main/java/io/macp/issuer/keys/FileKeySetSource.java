package io.macp.issuer.keys;

import io.macp.issuer.files.FileContent;
import io.macp.issuer.files.PolledValue;
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
 * changes by the issuer's polled-file mechanism ({@link PolledValue}). A change is a different
 * resolved real path or different bytes, so the kubelet's atomic {@code ..data} symlink swap is seen
 * even when the file's size and mtime look the same. Polling is the whole mechanism: it is simple
 * and cannot miss an event.
 *
 * <p>Startup fails fast when the file is missing, invalid or has no signer: a pod without keys
 * should crash-loop visibly rather than serve nothing. Later bad updates are refused and the last
 * good key set stays in force. A set refused only for lacking a signer is built again at every
 * poll, so it is taken once its first key activates.
 */
public final class FileKeySetSource implements KeySetSource {
  private static final Logger LOG = LoggerFactory.getLogger(FileKeySetSource.class);

  private final Path file;
  private final Clock clock;
  private final PolledKeySet keys;

  public FileKeySetSource(Path file, Clock clock, Duration pollInterval, MeterRegistry registry) {
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.keys = new PolledKeySet(pollInterval, registry);
  }

  @Override
  public String kind() {
    return "file";
  }

  @Override
  public KeySet initial() {
    KeySet first = keys.load(new Reader(), (message, cause) -> new IllegalStateException(message
        + (isNoSigner(cause)
            ? "; the issuer can't start without a key that may sign"
            : "; the issuer can't start without a usable key set (MACP_AUTH_KEYSET_FILE)"),
        cause));
    LOG.info("Key set loaded from {}: {}", file, PolledKeySet.describe(first, clock.instant()));
    return first;
  }

  private static boolean isNoSigner(Exception e) {
    return e instanceof PolledValue.Refused r && ReloadFailure.NO_SIGNER.tag().equals(r.reason());
  }

  @Override
  public void watch(KeySetListener listener) {
    keys.watch(listener, "watching " + file);
  }

  /** One look at the file; the poll thread calls it every poll interval. */
  void poll() {
    keys.checkNow();
  }

  /** Reads, parses and checks the file: a key set that may sign now, or the reason it is refused. */
  private final class Reader extends PolledKeySet.Reader<byte[]> {
    Reader() {
      super(FileKeySetSource.this.clock);
    }

    @Override
    public PolledValue.Snapshot<byte[]> read() throws PolledValue.Refused {
      FileContent content = PolledKeySet.read(file);
      return new PolledValue.Snapshot<>(content.bytes(), content.identity());
    }

    @Override
    public KeySet build(byte[] raw) throws PolledValue.Refused {
      KeySet candidate = PolledKeySet.parse(file, raw);
      Instant now = clock.instant();
      if (candidate.signerAt(now).isEmpty()) {
        throw PolledKeySet.refused(ReloadFailure.NO_SIGNER, PolledKeySet.noSignerProblem(file, now));
      }
      return candidate;
    }
  }

  /** Whether the poll thread has ended (after {@link #close()}). */
  boolean stopped() {
    return keys.stopped();
  }

  @Override
  public void close() {
    keys.close();
  }
}
