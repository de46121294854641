package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's garbage collector, which the fabric8 mock lacks: when a MacpIssuer is gone,
 * deletes the project's labelled objects that name it as owner (background cascade). Objects the
 * operator released (owner reference removed, e.g. keys kept on delete) stay, as in a cluster.
 */
final class OwnerGarbageCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerGarbageCollector.class);

  /** The kinds the operator owns, listed by namespace and the managed-by label. */
  private static final List<BiFunction<KubernetesClient, String, List<? extends HasMetadata>>> OWNED_KINDS =
      List.of(
          (c, ns) -> c.secrets().inNamespace(ns).withLabelSelector(IssuerNames.MANAGED_SELECTOR).list().getItems(),
          (c, ns) -> c.configMaps().inNamespace(ns).withLabelSelector(IssuerNames.MANAGED_SELECTOR).list().getItems(),
          (c, ns) -> c.apps().deployments().inNamespace(ns).withLabelSelector(IssuerNames.MANAGED_SELECTOR)
              .list().getItems(),
          (c, ns) -> c.services().inNamespace(ns).withLabelSelector(IssuerNames.MANAGED_SELECTOR).list().getItems(),
          (c, ns) -> c.policy().v1().podDisruptionBudget().inNamespace(ns)
              .withLabelSelector(IssuerNames.MANAGED_SELECTOR).list().getItems());

  private final KubernetesClient client;
  private SharedIndexInformer<MacpIssuer> informer;

  OwnerGarbageCollector(KubernetesClient client) {
    this.client = client;
  }

  OwnerGarbageCollector start() {
    informer = client.resources(MacpIssuer.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(MacpIssuer issuer) {}

      @Override
      public void onUpdate(MacpIssuer old, MacpIssuer issuer) {}

      @Override
      public void onDelete(MacpIssuer issuer, boolean unknownFinalState) {
        collect(issuer.getMetadata().getNamespace(), issuer.getMetadata().getUid());
      }
    }, 0);
    return this;
  }

  /** Deletes every owned object of the given owner uid; returns how many. */
  int collect(String namespace, String ownerUid) {
    int deleted = 0;
    for (var kind : OWNED_KINDS) {
      for (HasMetadata object : kind.apply(client, namespace)) {
        boolean owned = Optional.ofNullable(object.getMetadata().getOwnerReferences()).orElse(List.of())
            .stream().map(OwnerReference::getUid).anyMatch(ownerUid::equals);
        if (owned) {
          try {
            client.resource(object).delete();
            deleted++;
            LOG.info("garbage-collected {} {}/{}", object.getKind(), namespace, object.getMetadata().getName());
          } catch (RuntimeException e) {
            LOG.warn("cannot garbage-collect {} {}/{}: {}", object.getKind(), namespace,
                object.getMetadata().getName(), e.toString());
          }
        }
      }
    }
    return deleted;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
