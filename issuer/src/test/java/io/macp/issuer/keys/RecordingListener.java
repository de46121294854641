package io.macp.issuer.keys;

import io.macp.keyset.KeySet;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects listener calls in order; waits are bounded so a missing event fails the test. */
final class RecordingListener implements KeySetListener {
  static final Duration WAIT = Duration.ofSeconds(5);

  /** Either an accepted key set or a refusal reason. */
  record Event(KeySet accepted, String rejected) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

  @Override
  public void accepted(KeySet keySet) {
    events.add(new Event(keySet, null));
  }

  @Override
  public void rejected(String reason) {
    events.add(new Event(null, reason));
  }

  Event next() throws InterruptedException {
    Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no key-set event within " + WAIT);
    }
    return e;
  }

  KeySet nextAccepted() throws InterruptedException {
    Event e = next();
    if (e.accepted() == null) {
      throw new AssertionError("expected an accepted key set, got a refusal: " + e.rejected());
    }
    return e.accepted();
  }

  String nextRejected() throws InterruptedException {
    Event e = next();
    if (e.rejected() == null) {
      throw new AssertionError("expected a refusal, got an accepted key set: " + e.accepted());
    }
    return e.rejected();
  }

  /** Events not yet taken; for asserting that nothing more happened after direct calls. */
  int pending() {
    return events.size();
  }
}
