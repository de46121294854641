package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OptimisticUpdateTest {
  private static KubernetesClientException status(int code) {
    return new KubernetesClientException("answered " + code, code, null);
  }

  @Test
  void aConflictRunsTheWholeAttemptAgain() {
    AtomicInteger attempts = new AtomicInteger();
    String result = OptimisticUpdate.retry(5, () -> {
      if (attempts.incrementAndGet() < 3) {
        throw status(409);
      }
      return "written on attempt " + attempts.get();
    }, last -> new IllegalStateException("exhausted", last));
    assertThat(result).isEqualTo("written on attempt 3");
  }

  @Test
  void afterMaxAttemptsConflictsTheCallerSaysWhat() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> OptimisticUpdate.retry(4, () -> {
      attempts.incrementAndGet();
      throw status(409);
    }, last -> new IllegalStateException("kept changing", last)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("kept changing")
        .hasCauseInstanceOf(KubernetesClientException.class);
    assertThat(attempts).hasValue(4);
  }

  @Test
  void anyOtherErrorEndsAtOnce() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> OptimisticUpdate.retry(5, () -> {
      attempts.incrementAndGet();
      throw status(403);
    }, last -> new IllegalStateException("exhausted", last)))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    assertThat(attempts).hasValue(1);
  }
}
