package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The Secrets and ConfigMaps the simulated pods mount: one watch per mounted object, like the
 * kubelet's watch strategy, opened while a pod mounts it and closed after. Used from the {@link
 * KubeletSimulator}'s loop thread; changes are handed to it through {@code onChange}.
 */
final class VolumeSources implements AutoCloseable {
  private final KubernetesClient client;
  private final BiConsumer<IssuerPodSpec.SourceKind, HasMetadata> onChange;
  private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new HashMap<>();

  /** @param onChange told of each new resourceVersion of a watched object (never of a delete) */
  VolumeSources(KubernetesClient client, BiConsumer<IssuerPodSpec.SourceKind, HasMetadata> onChange) {
    this.client = client;
    this.onChange = onChange;
  }

  /** Watches exactly the objects these pods mount. */
  void watchOnly(Collection<SimulatedPod> pods) {
    Map<String, IssuerPodSpec.ObjectVolume> needed = new HashMap<>();
    Map<String, String> namespaces = new HashMap<>();
    for (SimulatedPod pod : pods) {
      for (IssuerPodSpec.ObjectVolume v : pod.spec.objectVolumes()) {
        String key = key(v.source(), pod.spec.namespace(), v.objectName());
        needed.put(key, v);
        namespaces.put(key, pod.spec.namespace());
      }
    }
    needed.forEach((key, v) -> informers.computeIfAbsent(key,
        k -> inform(v.source(), namespaces.get(key), v.objectName())));
    informers.keySet().removeIf(key -> {
      if (needed.containsKey(key)) {
        return false;
      }
      informers.get(key).close();
      return true;
    });
  }

  /** The watched object as last seen; empty when it does not exist (or is not watched). */
  Optional<HasMetadata> cached(IssuerPodSpec.ObjectVolume v, String namespace) {
    return Optional.ofNullable(informers.get(key(v.source(), namespace, v.objectName())))
        .map(i -> (HasMetadata) i.getStore().getByKey(namespace + "/" + v.objectName()));
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
    informers.clear();
  }

  /** "Secret/ns/name" or "ConfigMap/ns/name". */
  private static String key(IssuerPodSpec.SourceKind kind, String namespace, String name) {
    return kind.kind() + "/" + namespace + "/" + name;
  }

  private SharedIndexInformer<? extends HasMetadata> inform(
      IssuerPodSpec.SourceKind kind, String namespace, String name) {
    ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata o) {
        onChange.accept(kind, o);
      }

      @Override
      public void onUpdate(HasMetadata old, HasMetadata o) {
        if (!Objects.equals(old.getMetadata().getResourceVersion(), o.getMetadata().getResourceVersion())) {
          onChange.accept(kind, o);
        }
      }

      @Override
      public void onDelete(HasMetadata o, boolean unknownFinalState) {
        // The kubelet keeps the last files of a deleted Secret or ConfigMap; so do we.
      }
    };
    return switch (kind) {
      case SECRET -> client.secrets().inNamespace(namespace).withName(name).inform(handler, 0);
      case CONFIG_MAP -> client.configMaps().inNamespace(namespace).withName(name).inform(handler, 0);
    };
  }
}
