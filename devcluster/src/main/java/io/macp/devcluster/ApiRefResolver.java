package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Resolves env {@code secretKeyRef}/{@code configMapKeyRef} from the API, as the kubelet does at start. */
final class ApiRefResolver implements IssuerEnv.RefResolver {
  private final KubernetesClient client;

  ApiRefResolver(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<String> secretKey(String namespace, String name, String key) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get())
        .map(VolumeProjection::secretData)
        .map(data -> data.get(key))
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  @Override
  public Optional<String> configMapKey(String namespace, String name, String key) {
    return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get())
        .map(ConfigMap::getData)
        .map(data -> data.get(key));
  }
}
