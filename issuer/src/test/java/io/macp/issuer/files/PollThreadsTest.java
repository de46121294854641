package io.macp.issuer.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PollThreadsTest {
  @Test
  void aFailingPollDoesNotEndPolling() throws Exception {
    ScheduledExecutorService thread = PollThreads.single("test-poll");
    CountDownLatch polls = new CountDownLatch(3);
    thread.scheduleWithFixedDelay(PollThreads.guarded("polling x", () -> {
      polls.countDown();
      throw new IllegalStateException("boom");
    }), 10, 10, TimeUnit.MILLISECONDS);
    assertThat(polls.await(5, TimeUnit.SECONDS)).isTrue();
    PollThreads.stop(thread);
    assertThat(thread.isTerminated()).isTrue();
  }

  @Test
  void aNonPositivePollIntervalIsRefused() {
    assertThatThrownBy(() -> PollThreads.pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MACP_AUTH_KEYSET_POLL_INTERVAL");
    assertThat(PollThreads.pollInterval(null)).isEqualTo(Duration.ofSeconds(1));
  }
}
