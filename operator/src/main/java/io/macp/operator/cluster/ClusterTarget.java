package io.macp.operator.cluster;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the operator is about to act on, printed before it starts: the kubeconfig context (or the
 * in-cluster config), the API server, the namespaces its controllers watch and the Lease it
 * competes for. A person who started it by hand sees at once whether that is the cluster they meant.
 *
 * @param context the current kubeconfig context's name, or "in-cluster config" inside a pod
 * @param server the API server URL
 * @param namespaces the watched namespaces, or "all namespaces"
 * @param lease {@code namespace/name} of the leader-election Lease, or "none"
 */
public record ClusterTarget(String context, String server, String namespaces, String lease) {

  /** From the client configuration, the built (not yet started) operator and the Lease. */
  public static ClusterTarget of(Config config, boolean insidePod, Operator operator, String lease) {
    NamedContext current = config.getCurrentContext();
    String context =
        insidePod || current == null ? "in-cluster config" : current.getName();
    Set<String> watched = new TreeSet<>();
    for (RegisteredController<?> c : operator.getRegisteredControllers()) {
      for (String n : c.getConfiguration().getEffectiveNamespaces()) {
        watched.add(Constants.WATCH_CURRENT_NAMESPACE.equals(n) ? config.getNamespace() : n);
      }
    }
    return new ClusterTarget(context, config.getMasterUrl(), namespaces(watched), lease);
  }

  static String namespaces(Collection<String> watched) {
    if (watched.isEmpty() || watched.contains(Constants.WATCH_ALL_NAMESPACES)) {
      return "all namespaces";
    }
    return String.join(", ", new TreeSet<>(watched));
  }

  /** The lines printed before the operator starts. */
  public String describe() {
    return String.join("\n",
        "macp-operator will manage MacpIssuers on:",
        "  context:    " + context,
        "  server:     " + server,
        "  namespaces: " + namespaces,
        "  lease:      " + lease + " (the installed operator's Lease: one active leader at a time)");
  }
}
