package io.macp.devcluster.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records the MacpIssuer's status.keys[] while the run goes on, so keys the operator has pruned
 * since are still known at the end (a key stays in status for at least one period plus its
 * retention, far longer than the poll interval).
 */
final class KeyTimeline implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final ScheduledExecutorService poller;
  private final Map<String, KeyStatus> everyKey = new LinkedHashMap<>();
  private MacpIssuerStatus latest;

  KeyTimeline(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "e2e-key-timeline");
      t.setDaemon(true);
      return t;
    });
  }

  KeyTimeline start(Duration every) {
    poller.scheduleWithFixedDelay(this::pollQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reads the status now (also done in the background). */
  synchronized MacpIssuerStatus poll() {
    MacpIssuer issuer = client.resources(MacpIssuer.class).inNamespace(namespace).withName(name).get();
    if (issuer != null && issuer.getStatus() != null) {
      latest = issuer.getStatus();
      for (KeyStatus k : latest.getKeys()) {
        everyKey.put(k.getKid(), k);
      }
    }
    return latest;
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      // the API server is busy or closing: the next poll catches up
    }
  }

  synchronized Map<String, KeyStatus> everyKey() {
    return Map.copyOf(everyKey);
  }

  synchronized Optional<KeyStatus> key(String kid) {
    return Optional.ofNullable(everyKey.get(kid));
  }

  synchronized Optional<MacpIssuerStatus> latest() {
    return Optional.ofNullable(latest);
  }

  /** The key that signs at t according to the latest status: the latest activateAt not after t. */
  Optional<KeyStatus> signerAt(Instant t) {
    return latestKeys().stream()
        .filter(k -> k.getRevokedAt() == null && !SignerHistory.instant(k.getActivateAt()).isAfter(t))
        .max(Comparator.comparing((KeyStatus k) -> SignerHistory.instant(k.getActivateAt())));
  }

  /** The pre-published key that activates next after t, if the operator has created it. */
  Optional<KeyStatus> pendingAfter(Instant t) {
    return latestKeys().stream()
        .filter(k -> k.getRevokedAt() == null && SignerHistory.instant(k.getActivateAt()).isAfter(t))
        .min(Comparator.comparing((KeyStatus k) -> SignerHistory.instant(k.getActivateAt())));
  }

  private synchronized List<KeyStatus> latestKeys() {
    return latest == null ? List.of() : List.copyOf(latest.getKeys());
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
