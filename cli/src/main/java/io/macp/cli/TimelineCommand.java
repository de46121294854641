package io.macp.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl macp timeline NAME}: the issuer's keys on a time axis, now marked; with the
 * activation gate on, the next key's coverage under it ({@link CoverageView}).
 */
@Command(name = "timeline", description = "The keys of an issuer on a time axis (published, active, retired, removal), now marked; with the activation gate on, the next key's coverage.")
final class TimelineCommand extends MacpCommand {
  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "the MacpIssuer")
  String name;

  @Override
  public Integer call() {
    try (KubernetesClient client = cluster.client()) {
      MacpIssuer issuer = ClusterOptions.issuer(client, name);
      if (issuer.getStatus() == null || issuer.getStatus().getKeys() == null
          || issuer.getStatus().getKeys().isEmpty()) {
        spec.commandLine().getOut().println(name + ": no keys in status yet (is the operator running?)");
        return 1;
      }
      List<TimelineView.KeyLine> keys =
          issuer.getStatus().getKeys().stream().map(TimelineView.KeyLine::of).toList();
      Instant now = clock.instant();
      // The next key's coverage exactly as status shows it (one rendering, CoverageView).
      spec.commandLine().getOut().print(issuer.getMetadata().getNamespace() + "/" + name + "\n"
          + TimelineView.render(keys, now)
          + CoverageView.render(issuer.getStatus().getVerifiers(), now));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
