package io.macp.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.reconciler.AnnotationRequests;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl macp rotate NAME}: sets a fresh nonce in macp.io/rotate and waits until
 * status.handledRotateNonce records it. The operator switches to the pre-published key as soon as
 * every replica can hold the new timeline (docs/rotation.md), not necessarily at once.
 */
@Command(name = "rotate", description = "Rotate once now: sets a fresh macp.io/rotate nonce and waits until the operator handled it.")
final class RotateCommand extends MacpCommand {
  private static final DateTimeFormatter NONCE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "the MacpIssuer")
  String name;

  @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "how long to wait for the operator (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = cluster.client()) {
      MacpIssuer before = ClusterOptions.issuer(client, name);
      String nonce = "cli-" + NONCE_TIME.format(clock.instant()) + "-"
          + UUID.randomUUID().toString().substring(0, 8);
      Requests.annotate(client, name, AnnotationRequests.ROTATE, nonce);
      out.println("requested rotation of " + client.getNamespace() + "/" + name + " ("
          + AnnotationRequests.ROTATE + "=" + nonce + "); waiting for the operator...");
      out.flush();
      MacpIssuer after = Requests.await(client, name,
          i -> i.getStatus() != null && nonce.equals(i.getStatus().getHandledRotateNonce()),
          timeout, clock, "status.handledRotateNonce=" + nonce);
      String was = before.getStatus() == null ? null : before.getStatus().getActiveKid();
      String now = after.getStatus().getActiveKid();
      if (!Objects.equals(was, now)) {
        out.println("handled: " + now + " signs now (was " + was + ")");
      } else {
        KeyStatus next = after.getStatus().getKeys().stream()
            .filter(k -> !Objects.equals(k.getKid(), now) && k.getRevokedAt() == null
                && k.getActivateAt() != null && k.getActivateAt().compareTo(clock.instant().toString()) > 0)
            .findFirst().orElse(null);
        out.println("handled: " + (next == null ? "no pending key"
            : next.getKid() + " takes over at " + next.getActivateAt() + " ("
                + Times.relative(next.getActivateAt(), clock.instant()) + ")")
            + "; " + now + " signs until then");
      }
      out.flush();
      return 0;
    }
  }
}
