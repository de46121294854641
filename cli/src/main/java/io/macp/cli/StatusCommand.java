package io.macp.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kubectl macp status [NAME]}: Ready, active kid, next rotation, key phases, conditions. */
@Command(name = "status", description = "Issuers: Ready, active kid, next rotation, keys, conditions.")
final class StatusCommand extends MacpCommand {
  @Mixin ClusterOptions cluster;

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "one issuer (default: all in the namespace)")
  String name;

  @Override
  public Integer call() {
    try (KubernetesClient client = cluster.client()) {
      List<MacpIssuer> issuers = name == null
          ? client.resources(MacpIssuer.class).list().getItems().stream()
              .sorted(Comparator.comparing(i -> i.getMetadata().getName())).toList()
          : List.of(ClusterOptions.issuer(client, name));
      spec.commandLine().getOut().print(StatusView.render(issuers, clock.instant()));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
