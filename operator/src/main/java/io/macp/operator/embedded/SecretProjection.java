package io.macp.operator.embedded;

import io.fabric8.kubernetes.api.model.Secret;
import io.macp.operator.embedded.SecretVolumeWriter.FilePayload;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Which files a Secret volume shows: the kubelet's projection of Secret data onto paths. */
final class SecretProjection {
  private SecretProjection() {}

  /**
   * @throws IllegalStateException when the volume lists a key the Secret does not have (the
   *     kubelet refuses to start such a pod, or keeps the old files on an update)
   */
  static Map<String, FilePayload> payload(Secret secret, IssuerPodSpec.SecretMount mount) {
    Map<String, byte[]> data = data(secret);
    Map<String, FilePayload> files = new LinkedHashMap<>();
    if (mount.items().isEmpty()) {
      data.forEach((key, value) -> files.put(key, new FilePayload(value, mount.defaultMode())));
      return files;
    }
    for (Map.Entry<String, String> item : mount.items().entrySet()) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        if (mount.optional()) {
          continue;
        }
        throw new IllegalStateException(
            "Secret " + secret.getMetadata().getName() + " has no key '" + item.getKey()
                + "' for volume " + mount.volumeName());
      }
      files.put(item.getValue(), new FilePayload(value, mount.defaultMode()));
    }
    return files;
  }

  /**
   * The Secret's data, decoded. {@code stringData} wins over {@code data} as on a real API server;
   * the fabric8 mock stores {@code stringData} as sent instead of merging it into {@code data}.
   */
  static Map<String, byte[]> data(Secret secret) {
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
