package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the kubelet simulator needs from an issuer Deployment: replicas, the issuer container's env,
 * and the Secret and ConfigMap volumes it mounts. Read once per Deployment event; never changes the Deployment.
 *
 * @param templateHash see {@link PodTemplateHash}: a change means new pods
 * @param unsupportedMounts mounts the simulation cannot fill, as "volume (kind) at path": e.g. a
 *     projected ServiceAccount token; a replica of such a pod is not started
 */
public record IssuerPodSpec(
    String namespace,
    String name,
    long generation,
    int replicas,
    String templateHash,
    String containerName,
    List<EnvVar> env,
    List<ObjectVolume> objectVolumes,
    List<String> unsupportedMounts) {

  /** The container that runs the issuer: the one named "issuer", else the first. */
  public static final String ISSUER_CONTAINER = "issuer";

  /** Kubernetes' default for a Secret or ConfigMap volume: 0644. */
  public static final int DEFAULT_MODE = 0644;

  /** Where a volume's files come from. */
  public enum SourceKind {
    SECRET("Secret"),
    CONFIG_MAP("ConfigMap");

    private final String kind;

    SourceKind(String kind) {
      this.kind = kind;
    }

    public String kind() {
      return kind;
    }
  }

  /**
   * One Secret or ConfigMap volume mounted by the issuer container.
   *
   * @param items key -> relative path; empty means every key of the object under its own name
   */
  public record ObjectVolume(
      SourceKind source,
      String volumeName,
      String objectName,
      boolean optional,
      int defaultMode,
      Map<String, String> items,
      String mountPath) {}

  /** @throws IllegalArgumentException when the Deployment has no container to run */
  public static IssuerPodSpec of(Deployment deployment) {
    var meta = deployment.getMetadata();
    var spec = deployment.getSpec();
    PodSpec pod =
        spec == null || spec.getTemplate() == null ? null : spec.getTemplate().getSpec();
    if (pod == null || pod.getContainers() == null || pod.getContainers().isEmpty()) {
      throw new IllegalArgumentException(
          "Deployment " + meta.getNamespace() + "/" + meta.getName() + " has no container to run");
    }
    Container container =
        pod.getContainers().stream()
            .filter(c -> ISSUER_CONTAINER.equals(c.getName()))
            .findFirst()
            .orElse(pod.getContainers().get(0));
    List<ObjectVolume> mounts = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
      Optional<ObjectVolume> object = objectVolume(pod, mount);
      object.ifPresent(mounts::add);
      if (object.isEmpty()) {
        unsupportedKind(pod, mount).ifPresent(kind ->
            unsupported.add(mount.getName() + " (" + kind + ") at " + mount.getMountPath()));
      }
    }
    Integer replicas = spec.getReplicas();
    return new IssuerPodSpec(
        meta.getNamespace(),
        meta.getName(),
        meta.getGeneration() == null ? 0 : meta.getGeneration(),
        replicas == null ? 1 : Math.max(0, replicas),
        PodTemplateHash.of(spec.getTemplate()),
        container.getName(),
        List.copyOf(Optional.ofNullable(container.getEnv()).orElse(List.of())),
        List.copyOf(mounts),
        List.copyOf(unsupported));
  }

  /**
   * The kind of a mounted volume whose files the simulation cannot make, or empty when it can
   * (Secret, ConfigMap) or when no file matters (emptyDir: the issuer writes only its own).
   */
  private static Optional<String> unsupportedKind(PodSpec pod, VolumeMount mount) {
    Volume volume = Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
        .filter(v -> mount.getName().equals(v.getName()))
        .findFirst()
        .orElse(null);
    if (volume == null) {
      return Optional.of("no such volume");
    }
    if (volume.getEmptyDir() != null) {
      return Optional.empty();
    }
    if (volume.getProjected() != null) {
      boolean token = Optional.ofNullable(volume.getProjected().getSources()).orElse(List.of())
          .stream().anyMatch(s -> s.getServiceAccountToken() != null);
      return Optional.of(token ? "projected serviceAccountToken" : "projected");
    }
    return Optional.of(volume.getSecret() != null ? "secret without secretName"
        : volume.getConfigMap() != null ? "configMap without name" : "unsupported volume type");
  }

  /** The literal value of an env var of the issuer container, if it has one. */
  public Optional<String> literalEnv(String name) {
    return env.stream()
        .filter(e -> name.equals(e.getName()) && e.getValueFrom() == null)
        .map(e -> e.getValue() == null ? "" : e.getValue())
        .findFirst();
  }

  private static Optional<ObjectVolume> objectVolume(PodSpec pod, VolumeMount mount) {
    Optional<Volume> volume = Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
        .filter(v -> mount.getName().equals(v.getName()))
        .findFirst();
    SecretVolumeSource secret = volume.map(Volume::getSecret).orElse(null);
    if (secret != null && secret.getSecretName() != null) {
      return Optional.of(new ObjectVolume(SourceKind.SECRET, mount.getName(), secret.getSecretName(),
          Boolean.TRUE.equals(secret.getOptional()),
          secret.getDefaultMode() == null ? DEFAULT_MODE : secret.getDefaultMode(),
          items(secret.getItems()), mount.getMountPath()));
    }
    ConfigMapVolumeSource configMap = volume.map(Volume::getConfigMap).orElse(null);
    if (configMap != null && configMap.getName() != null) {
      return Optional.of(new ObjectVolume(SourceKind.CONFIG_MAP, mount.getName(), configMap.getName(),
          Boolean.TRUE.equals(configMap.getOptional()),
          configMap.getDefaultMode() == null ? DEFAULT_MODE : configMap.getDefaultMode(),
          items(configMap.getItems()), mount.getMountPath()));
    }
    return Optional.empty();
  }

  private static Map<String, String> items(List<KeyToPath> keyToPaths) {
    var items = new java.util.LinkedHashMap<String, String>();
    for (KeyToPath item : Optional.ofNullable(keyToPaths).orElse(List.of())) {
      items.put(item.getKey(), item.getPath());
    }
    return Map.copyOf(items);
  }
}
