package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.macp.devcluster.SecretVolumeWriter.FilePayload;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Which files a Secret or ConfigMap volume shows: the kubelet's projection of keys onto paths. */
final class VolumeProjection {
  private VolumeProjection() {}

  /**
   * @throws IllegalStateException when the volume lists a key the object does not have (the
   *     kubelet refuses to start such a pod, or keeps the old files on an update)
   */
  static Map<String, FilePayload> payload(HasMetadata source, IssuerPodSpec.ObjectVolume volume) {
    Map<String, byte[]> data = data(source);
    Map<String, FilePayload> files = new LinkedHashMap<>();
    if (volume.items().isEmpty()) {
      data.forEach((key, value) -> files.put(key, new FilePayload(value, volume.defaultMode())));
      return files;
    }
    for (Map.Entry<String, String> item : volume.items().entrySet()) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        if (volume.optional()) {
          continue;
        }
        throw new IllegalStateException(
            source.getKind() + " " + source.getMetadata().getName() + " has no key '" + item.getKey()
                + "' for volume " + volume.volumeName());
      }
      files.put(item.getValue(), new FilePayload(value, volume.defaultMode()));
    }
    return files;
  }

  /** The keys and bytes of a Secret or a ConfigMap, decoded. */
  static Map<String, byte[]> data(HasMetadata source) {
    if (source instanceof Secret secret) {
      return secretData(secret);
    }
    if (source instanceof ConfigMap configMap) {
      Map<String, byte[]> data = new TreeMap<>();
      if (configMap.getBinaryData() != null) {
        configMap.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v == null ? "" : v)));
      }
      if (configMap.getData() != null) {
        configMap.getData().forEach((k, v) -> data.put(k, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8)));
      }
      return data;
    }
    throw new IllegalArgumentException("cannot project a " + source.getKind() + " into a volume");
  }

  /**
   * A Secret's data, decoded. {@code stringData} wins over {@code data} as on a real API server;
   * the fabric8 mock stores {@code stringData} as sent instead of merging it into {@code data}.
   */
  static Map<String, byte[]> secretData(Secret secret) {
    Map<String, byte[]> data = new TreeMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v == null ? "" : v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.put(k, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8)));
    }
    return data;
  }
}
