package io.macp.operator.embedded;

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
 * and the Secret volumes it mounts. Read once per Deployment event; never changes the Deployment.
 *
 * @param templateHash see {@link PodTemplateHash}: a change means new pods
 */
public record IssuerPodSpec(
    String namespace,
    String name,
    long generation,
    int replicas,
    String templateHash,
    String containerName,
    List<EnvVar> env,
    List<SecretMount> secretMounts) {

  /** The container that runs the issuer: the one named "issuer", else the first. */
  public static final String ISSUER_CONTAINER = "issuer";

  /** Kubernetes' default for a Secret volume: 0644. */
  public static final int DEFAULT_MODE = 0644;

  /**
   * One Secret volume mounted by the issuer container.
   *
   * @param items key -> relative path; empty means every key of the Secret under its own name
   */
  public record SecretMount(
      String volumeName,
      String secretName,
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
    List<SecretMount> mounts = new ArrayList<>();
    for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
      secretVolume(pod, mount.getName())
          .ifPresent(
              secret -> mounts.add(
                  new SecretMount(
                      mount.getName(),
                      secret.getSecretName(),
                      Boolean.TRUE.equals(secret.getOptional()),
                      secret.getDefaultMode() == null ? DEFAULT_MODE : secret.getDefaultMode(),
                      items(secret),
                      mount.getMountPath())));
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
        List.copyOf(mounts));
  }

  /** The literal value of an env var of the issuer container, if it has one. */
  public Optional<String> literalEnv(String name) {
    return env.stream()
        .filter(e -> name.equals(e.getName()) && e.getValueFrom() == null)
        .map(e -> e.getValue() == null ? "" : e.getValue())
        .findFirst();
  }

  private static Optional<SecretVolumeSource> secretVolume(PodSpec pod, String volumeName) {
    return Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
        .filter(v -> volumeName.equals(v.getName()))
        .map(Volume::getSecret)
        .filter(s -> s != null && s.getSecretName() != null)
        .findFirst();
  }

  private static Map<String, String> items(SecretVolumeSource secret) {
    var items = new java.util.LinkedHashMap<String, String>();
    for (KeyToPath item : Optional.ofNullable(secret.getItems()).orElse(List.of())) {
      items.put(item.getKey(), item.getPath());
    }
    return Map.copyOf(items);
  }
}
