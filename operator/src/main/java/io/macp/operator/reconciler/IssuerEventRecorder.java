package io.macp.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises core/v1 Events on a MacpIssuer, so {@code kubectl describe} tells the story. Best effort:
 * an Event that can't be written is logged and never fails a reconcile.
 */
public class IssuerEventRecorder {
  private static final Logger log = LoggerFactory.getLogger(IssuerEventRecorder.class);
  static final String COMPONENT = IssuerNames.MANAGED_BY;

  private final KubernetesClient client;
  private final Clock clock;

  public IssuerEventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Records an event at most once per issuer object and decision: its name derives from the
   * issuer's uid, the reason and {@link KeyEvent#decision()}, so a second reconcile that made the
   * same decision from a not-yet-updated cache gets AlreadyExists (409) instead of a duplicate.
   * A decision recurring with the same parts while its Event still exists (the API server keeps
   * Events an hour by default) is not raised again.
   */
  public void record(MacpIssuer issuer, KeyEvent event) {
    String digest = HexFormat.of().formatHex(Sha256Digest.of(
        issuer.getMetadata().getUid() + "\n" + event.reason() + "\n" + event.decision()), 0, 8);
    record(issuer, event, issuer.getMetadata().getName() + "." + digest);
  }

  private void record(MacpIssuer issuer, KeyEvent event, String name) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String ns = issuer.getMetadata().getNamespace();
    Event e = new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .withLabels(IssuerNames.labels(issuer))
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(issuer.getApiVersion())
            .withKind(issuer.getKind())
            .withName(issuer.getMetadata().getName())
            .withNamespace(ns)
            .withUid(issuer.getMetadata().getUid())
            .withResourceVersion(issuer.getMetadata().getResourceVersion())
            .build())
        .withType(event.warning() ? "Warning" : "Normal")
        .withReason(event.reason())
        .withMessage(event.message())
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withSource(new EventSourceBuilder().withComponent(COMPONENT).build())
        .withReportingComponent(COMPONENT)
        .withReportingInstance(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(ns).resource(e).create();
      log.info("{} event on {}/{}: {} {}", e.getType(), ns, issuer.getMetadata().getName(),
          event.reason(), event.message());
    } catch (KubernetesClientException ex) {
      if (ex.getCode() == 409) {
        return; // the same decision, already recorded
      }
      log.warn("could not record event {} on {}/{}: {}", event.reason(), ns,
          issuer.getMetadata().getName(), ex.getMessage());
    }
  }

  private static final class Sha256Digest {
    static byte[] of(String text) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }
}
