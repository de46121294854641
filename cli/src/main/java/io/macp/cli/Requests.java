package io.macp.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Requests by annotation (macp.io/rotate, macp.io/revoke; see docs/rotation.md) and waiting for
 * the operator to record them as handled in status.
 */
final class Requests {
  private Requests() {}

  /** Sets one annotation (a JSON patch of metadata.annotations only). */
  static void annotate(KubernetesClient client, String name, String key, String value) {
    client.resources(MacpIssuer.class).withName(name).edit(i -> {
      Map<String, String> annotations = i.getMetadata().getAnnotations() == null
          ? new HashMap<>() : new HashMap<>(i.getMetadata().getAnnotations());
      annotations.put(key, value);
      i.getMetadata().setAnnotations(annotations);
      return i;
    });
  }

  /**
   * Polls the issuer until {@code done} holds or the timeout passes (the API server, not a watch:
   * works the same through any proxy).
   *
   * @return the issuer that satisfied it
   * @throws IllegalStateException on timeout, saying what was awaited
   */
  static MacpIssuer await(KubernetesClient client, String name, Predicate<MacpIssuer> done,
      Duration timeout, Clock clock, String what) {
    Instant end = clock.instant().plus(timeout);
    while (true) {
      MacpIssuer issuer = ClusterOptions.issuer(client, name);
      if (done.test(issuer)) {
        return issuer;
      }
      if (!clock.instant().isBefore(end)) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + "s waiting for "
            + what + "; is the operator running? (kubectl macp status " + name + ")");
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }
}
