package io.macp.issuer.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macp.issuer.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The polled-file mechanism on an in-memory "file": the content is a string, the value its number.
 * What the real files add (real paths, hashes, kubelet swaps) is {@link FileContentTest}'s.
 */
class PolledValueTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  private final SettableClock clock = new SettableClock(T0);
  private final Events events = new Events();
  private final FakeSource source = new FakeSource();
  private PolledValue<String, Integer> value;

  @AfterEach
  void close() {
    if (value != null) {
      value.close();
      assertThat(value.stopped()).isTrue();
    }
  }

  private PolledValue<String, Integer> open(String content) {
    source.content = content;
    value = new PolledValue<>("number", source, events, IllegalStateException::new);
    return value;
  }

  @Test
  void startupFailsWithTheNameAndTheProblem() {
    assertThatThrownBy(() -> open("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("number: x is not a number");
  }

  @Test
  void keepsTheLastGoodValueAndReportsEachDistinctRefusalOnce() {
    open("1");
    assertThat(events.log).containsExactly("loaded 1");

    source.content = "x";
    for (int i = 0; i < 3; i++) {
      assertThat(value.checkNow()).isFalse();
    }
    source.content = "y";
    value.checkNow();
    value.checkNow();
    source.content = "2";
    assertThat(value.checkNow()).isTrue();

    assertThat(value.current()).isEqualTo(2);
    assertThat(events.log).containsExactly("loaded 1", "refused nan: x is not a number",
        "refused nan: y is not a number", "changed 2");
  }

  @Test
  void aRefusalWhoseMessageNamesTheTimeIsStillReportedOncePerContent() {
    open("1");
    source.content = "-5"; // refused with the clock in the message
    value.checkNow();
    clock.advance(Duration.ofSeconds(1));
    value.checkNow();
    source.content = "-6";
    value.checkNow();

    assertThat(events.log).containsExactly("loaded 1",
        "refused negative: -5 is negative at " + T0,
        "refused negative: -6 is negative at " + T0.plusSeconds(1));
  }

  @Test
  void anUnclassifiedProblemIsReportedWithItsClassOnce() {
    open("1");
    source.readFails = true;
    value.checkNow();
    value.checkNow();
    assertThat(events.log).containsExactly("loaded 1",
        "refused null: cannot read: IllegalStateException: disk on fire");
  }

  @Test
  void theSameValueIsTakenSilentlyAndTheFilesBackInForceEndARefusal() {
    open("1");
    source.content = "01"; // other bytes, same value
    assertThat(value.checkNow()).isFalse();
    source.content = "x";
    value.checkNow();
    source.content = "01"; // back to the files in force
    value.checkNow();
    value.checkNow();
    source.content = "x"; // the same problem again is a new refusal now
    value.checkNow();

    assertThat(events.log).containsExactly("loaded 1", "refused nan: x is not a number",
        "recovered 1", "refused nan: x is not a number");
  }

  @Test
  void unchangedFilesAreReevaluatedAgainstTheClock() {
    open("1");
    source.doubleAt = T0.plusSeconds(10);
    value.checkNow();
    clock.set(T0.plusSeconds(10));
    assertThat(value.checkNow()).isTrue();
    value.checkNow();

    assertThat(value.current()).isEqualTo(2);
    assertThat(events.log).containsExactly("loaded 1", "changed 2");
  }

  @Test
  void filesTheSourceWroteItselfAreNotAChange() {
    open("1");
    source.doubleAt = T0;
    source.writeOnRefresh = true;
    assertThat(value.checkNow()).isTrue(); // writes "2"
    source.doubleAt = null;
    assertThat(value.checkNow()).isFalse();
    assertThat(source.builds).isEqualTo(1); // "2" was never built from the file
  }

  @Test
  void aTimedCheckRunsWithoutAPollAndIsSetAgainWhenItFiresEarly() throws Exception {
    open("1");
    source.doubleAt = T0.plusSeconds(30);
    clock.set(T0.plusSeconds(30).minusMillis(100)); // the check is 100ms of timer away
    value.start(Duration.ofHours(1)); // polls never run in this test

    Thread.sleep(300); // the timer fires while this clock stands still: too early, nothing due
    assertThat(events.log).containsExactly("loaded 1");
    clock.set(T0.plusSeconds(30));

    assertThat(events.changes.poll(5, TimeUnit.SECONDS)).isEqualTo(2);
  }

  @Test
  void pollsUntilClosedThenStopsForGood() throws Exception {
    open("1");
    assertThat(value.stopped()).isTrue();
    value.start(Duration.ofMillis(10));
    source.content = "2";
    assertThat(events.changes.poll(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(value.stopped()).isFalse();

    value.close();
    assertThat(value.stopped()).isTrue();
    int builds = source.builds;
    source.content = "3";
    Thread.sleep(100);
    assertThat(source.builds).isEqualTo(builds);
  }

  /** "x": not a number; "-n": negative (the message names the clock); a number: its value. */
  private final class FakeSource implements PolledValue.Source<String, Integer> {
    volatile String content;
    volatile boolean readFails;
    volatile Instant doubleAt;
    volatile boolean writeOnRefresh;
    volatile int builds;
    private String written;

    @Override
    public PolledValue.Snapshot<String> read() {
      if (readFails) {
        throw new IllegalStateException("disk on fire");
      }
      return new PolledValue.Snapshot<>(content, "digest-of-" + content);
    }

    @Override
    public Integer build(String raw) throws PolledValue.Refused {
      builds++;
      int n;
      try {
        n = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        throw new PolledValue.Refused("nan", raw + " is not a number");
      }
      if (n < 0) {
        throw new PolledValue.Refused("negative", raw + " is negative at " + clock.instant());
      }
      return n;
    }

    @Override
    public Optional<Integer> refresh(Integer current) {
      Instant at = doubleAt;
      if (at == null || clock.instant().isBefore(at)) {
        return Optional.empty();
      }
      doubleAt = null;
      if (writeOnRefresh) {
        content = String.valueOf(current * 2);
        written = "digest-of-" + content;
      }
      return Optional.of(current * 2);
    }

    @Override
    public boolean same(Integer next, Integer current) {
      return next.equals(current);
    }

    @Override
    public String settledDigest(String readDigest) {
      String settled = written != null ? written : readDigest;
      written = null;
      return settled;
    }

    @Override
    public Optional<Instant> nextCheckAt(Integer current) {
      return Optional.ofNullable(doubleAt);
    }

    @Override
    public Instant now() {
      return clock.instant();
    }
  }

  private static final class Events implements PolledValue.Events<Integer> {
    final List<String> log = new CopyOnWriteArrayList<>();
    final BlockingQueue<Integer> changes = new LinkedBlockingQueue<>();

    @Override
    public void loaded(Integer value) {
      log.add("loaded " + value);
    }

    @Override
    public void changed(Integer value) {
      log.add("changed " + value);
      changes.add(value);
    }

    @Override
    public void refused(PolledValue.Refusal refusal) {
      assertThat(refusal.name()).isEqualTo("number");
      log.add("refused " + refusal.reason() + ": " + refusal.message());
    }

    @Override
    public void recovered(Integer value) {
      log.add("recovered " + value);
    }
  }
}
