package io.macp.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BoundedShutdownTest {

  @Test
  void aStepThatFinishesIsReportedDone() {
    AtomicBoolean ran = new AtomicBoolean();
    assertThat(BoundedShutdown.run("step", () -> ran.set(true), Duration.ofSeconds(5))).isTrue();
    assertThat(ran).isTrue();
  }

  @Test
  void aStepThatHangsIsAbandonedAfterTheLimit() {
    CountDownLatch never = new CountDownLatch(1);
    boolean done =
        BoundedShutdown.run(
            "hanging-step",
            () -> {
              try {
                never.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            Duration.ofMillis(100));
    assertThat(done).isFalse();
    never.countDown();
  }
}
