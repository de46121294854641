package io.macp.operator.resources;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Read, decide, write with the resourceVersion just read: the API server answers 409 Conflict
 * when someone wrote the object in between, and the whole attempt runs again on a fresh read, so
 * nothing is written from a stale copy (Kubernetes API conventions, "Concurrency Control and
 * Consistency"). The one retry loop of the operator's compare-and-swap writes.
 */
public final class OptimisticUpdate {
  private OptimisticUpdate() {}

  /**
   * Runs {@code attempt} until it returns without a 409, at most {@code maxAttempts} times.
   *
   * @param attempt reads, decides and writes; any other API error ends the retries at once
   * @param exhausted the error after {@code maxAttempts} conflicts, given the last one
   */
  public static <T> T retry(int maxAttempts, Supplier<T> attempt,
      Function<KubernetesClientException, RuntimeException> exhausted) {
    KubernetesClientException last = null;
    for (int i = 0; i < maxAttempts; i++) {
      try {
        return attempt.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        last = e;
      }
    }
    throw exhausted.apply(last);
  }
}
