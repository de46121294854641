package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.macp.operator.resources.IssuerNames;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment one in-process issuer replica starts with: the Deployment container's env, with
 * paths under a mounted Secret or ConfigMap volume pointed at that replica's directory, and the
 * listen address moved to an ephemeral port on 127.0.0.1 (the public port too, when the pod has
 * one).
 */
final class IssuerEnv {
  static final String KEYSET_FILE = "MACP_AUTH_KEYSET_FILE";
  static final String PORT = "PORT";
  static final String BIND_ADDRESS = "MACP_AUTH_BIND_ADDRESS";
  static final String PUBLIC_PORT = "MACP_AUTH_PUBLIC_PORT";

  /** Answers {@code secretKeyRef} and {@code configMapKeyRef} env sources. */
  interface RefResolver {
    Optional<String> secretKey(String namespace, String name, String key);

    Optional<String> configMapKey(String namespace, String name, String key);
  }

  private IssuerEnv() {}

  /**
   * @param volumeDirs volume name -> the replica's directory for it
   * @throws IllegalStateException when a required env source cannot be resolved (the kubelet
   *     would not start the container either)
   */
  static Map<String, String> build(
      IssuerPodSpec spec, String podName, Map<String, Path> volumeDirs, RefResolver refs) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : spec.env()) {
      resolve(spec, podName, var, refs).ifPresent(value -> env.put(var.getName(), value));
    }
    env.replaceAll((name, value) -> rewriteMountPaths(value, spec, volumeDirs));
    if (!env.containsKey(KEYSET_FILE)) {
      keysMount(spec)
          .map(m -> volumeDirs.get(m.volumeName()))
          .ifPresent(dir -> env.put(KEYSET_FILE, dir.resolve(IssuerNames.KEYSET_KEY).toString()));
    }
    env.put(PORT, "0");
    if (env.containsKey(PUBLIC_PORT) && !env.get(PUBLIC_PORT).isBlank()) {
      env.put(PUBLIC_PORT, "0");
    }
    env.put(BIND_ADDRESS, "127.0.0.1");
    return env;
  }

  /** The volume holding the key set: mounted at the issuer's keys path, else Secret {@code <name>-keys}. */
  static Optional<IssuerPodSpec.ObjectVolume> keysMount(IssuerPodSpec spec) {
    return spec.objectVolumes().stream()
        .filter(m -> IssuerNames.KEYS_MOUNT_PATH.equals(m.mountPath()))
        .findFirst()
        .or(() -> spec.objectVolumes().stream()
            .filter(m -> m.source() == IssuerPodSpec.SourceKind.SECRET
                && (spec.name() + "-keys").equals(m.objectName()))
            .findFirst());
  }

  private static String rewriteMountPaths(
      String value, IssuerPodSpec spec, Map<String, Path> volumeDirs) {
    for (IssuerPodSpec.ObjectVolume mount : spec.objectVolumes()) {
      Path dir = volumeDirs.get(mount.volumeName());
      String mountPath = stripTrailingSlash(mount.mountPath());
      if (dir == null || mountPath.isEmpty()) {
        continue;
      }
      if (value.equals(mountPath)) {
        return dir.toString();
      }
      if (value.startsWith(mountPath + "/")) {
        return dir.resolve(value.substring(mountPath.length() + 1)).toString();
      }
    }
    return value;
  }

  private static String stripTrailingSlash(String path) {
    return path != null && path.endsWith("/") ? path.substring(0, path.length() - 1) : String.valueOf(path);
  }

  private static Optional<String> resolve(
      IssuerPodSpec spec, String podName, EnvVar var, RefResolver refs) {
    EnvVarSource from = var.getValueFrom();
    if (from == null) {
      return Optional.of(var.getValue() == null ? "" : var.getValue());
    }
    if (from.getFieldRef() != null) {
      String field = from.getFieldRef().getFieldPath();
      return Optional.of(
          switch (field) {
            case "metadata.name" -> podName;
            case "metadata.namespace" -> spec.namespace();
            case "status.podIP", "status.hostIP" -> "127.0.0.1";
            case "spec.nodeName" -> "embedded";
            default -> throw new IllegalStateException(
                "env " + var.getName() + ": fieldRef " + field + " is not simulated");
          });
    }
    if (from.getSecretKeyRef() != null) {
      var ref = from.getSecretKeyRef();
      return required(var, Boolean.TRUE.equals(ref.getOptional()),
          refs.secretKey(spec.namespace(), ref.getName(), ref.getKey()), "Secret " + ref.getName());
    }
    if (from.getConfigMapKeyRef() != null) {
      var ref = from.getConfigMapKeyRef();
      return required(var, Boolean.TRUE.equals(ref.getOptional()),
          refs.configMapKey(spec.namespace(), ref.getName(), ref.getKey()),
          "ConfigMap " + ref.getName());
    }
    throw new IllegalStateException("env " + var.getName() + ": this valueFrom is not simulated");
  }

  private static Optional<String> required(
      EnvVar var, boolean optional, Optional<String> value, String source) {
    if (value.isEmpty() && !optional) {
      throw new IllegalStateException("env " + var.getName() + ": " + source + " has no such key");
    }
    return value;
  }
}
