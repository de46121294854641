package io.macp.issuer.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SourceWatchTest {
  private final Object lock = new Object();
  private final SourceWatch watch = new SourceWatch(lock, "test-watch", Duration.ofMillis(10));

  @Test
  void pollsUntilClosedThenStopsForGood() throws Exception {
    assertThat(watch.stopped()).isTrue();
    assertThat(watch.running()).isFalse();
    CountDownLatch polls = new CountDownLatch(3);
    watch.checkStartable("watching x");
    watch.start("polling x", polls::countDown);
    assertThat(polls.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(watch.running()).isTrue();
    assertThatThrownBy(() -> watch.checkStartable("watching x"))
        .isInstanceOf(IllegalStateException.class).hasMessage("already watching x");

    watch.close();
    assertThat(watch.stopped()).isTrue();
    assertThat(watch.running()).isFalse();
    assertThatThrownBy(watch::checkOpen).hasMessage("key source is closed");
    assertThatThrownBy(() -> watch.start("polling x", () -> { }))
        .hasMessage("key source is closed");
  }

  @Test
  void aFailingPollDoesNotEndPolling() throws Exception {
    CountDownLatch polls = new CountDownLatch(3);
    watch.start("polling x", () -> {
      polls.countDown();
      throw new IllegalStateException("boom");
    });
    assertThat(polls.await(5, TimeUnit.SECONDS)).isTrue();
    watch.close();
  }

  @Test
  void aNonPositivePollIntervalIsRefused() {
    assertThatThrownBy(() -> new SourceWatch(lock, "t", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MACP_AUTH_KEYSET_POLL_INTERVAL");
  }
}
