package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What JOSDK's non-SSA matcher cannot see: it treats everything the live object has beyond the
 * desired one as API server defaults, so a volume, mount, env var or ServiceAccount the operator
 * stopped wanting (authentication switched back to None, TLS turned off) would stay forever. This
 * compares exactly those, by name; server defaults never add any of them.
 */
public final class IssuerDeploymentDrift {
  private IssuerDeploymentDrift() {}

  /** True when the live Deployment still has something the desired one dropped. */
  public static boolean dropped(Deployment desired, Deployment actual) {
    PodSpec want = podSpec(desired);
    PodSpec have = podSpec(actual);
    if (want == null || have == null) {
      return false;
    }
    if (want.getServiceAccountName() == null && have.getServiceAccountName() != null
        && !"default".equals(have.getServiceAccountName())) {
      return true;
    }
    if (extra(want.getVolumes(), have.getVolumes(), Volume::getName)
        || droppedScheduling(want, have)
        || droppedMetadata(desired.getSpec().getTemplate().getMetadata(),
            actual.getSpec().getTemplate().getMetadata())) {
      return true;
    }
    Optional<Container> wantIssuer = issuer(want);
    Optional<Container> haveIssuer = issuer(have);
    if (wantIssuer.isEmpty() || haveIssuer.isEmpty()) {
      return false;
    }
    return extra(wantIssuer.get().getEnv(), haveIssuer.get().getEnv(), EnvVar::getName)
        || extra(wantIssuer.get().getVolumeMounts(), haveIssuer.get().getVolumeMounts(),
            VolumeMount::getName);
  }

  /** spec.priorityClassName, topologySpreadConstraints, imagePullSecrets taken away. */
  private static boolean droppedScheduling(PodSpec want, PodSpec have) {
    return (want.getPriorityClassName() == null && have.getPriorityClassName() != null)
        || extra(want.getTopologySpreadConstraints(), have.getTopologySpreadConstraints(),
            c -> c.getTopologyKey() + "/" + c.getWhenUnsatisfiable() + "/" + c.getMaxSkew())
        || extra(want.getImagePullSecrets(), have.getImagePullSecrets(),
            LocalObjectReference::getName);
  }

  /**
   * A pod label or annotation no longer wanted (spec.podLabels, spec.podAnnotations). Keys that
   * tools add to templates on purpose (kubectl rollout restart) are not ours to remove.
   */
  private static boolean droppedMetadata(ObjectMeta want, ObjectMeta have) {
    if (want == null || have == null) {
      return false;
    }
    return extraKeys(want.getLabels(), have.getLabels())
        || extraKeys(want.getAnnotations(), have.getAnnotations());
  }

  private static boolean extraKeys(Map<String, String> want, Map<String, String> have) {
    Set<String> wanted = want == null ? Set.of() : want.keySet();
    return have != null && have.keySet().stream()
        .anyMatch(k -> !wanted.contains(k) && !k.startsWith("kubectl.kubernetes.io/"));
  }

  private static <T> boolean extra(List<T> want, List<T> have, Function<T, String> name) {
    Set<String> wanted = names(want, name);
    return names(have, name).stream().anyMatch(n -> !wanted.contains(n));
  }

  private static <T> Set<String> names(List<T> items, Function<T, String> name) {
    return items == null ? Set.of()
        : items.stream().map(name).filter(Objects::nonNull).collect(Collectors.toSet());
  }

  private static Optional<Container> issuer(PodSpec pod) {
    return pod.getContainers() == null ? Optional.empty() : pod.getContainers().stream()
        .filter(c -> IssuerDeploymentBuilder.CONTAINER_NAME.equals(c.getName())).findFirst();
  }

  private static PodSpec podSpec(Deployment d) {
    return d == null || d.getSpec() == null || d.getSpec().getTemplate() == null
        ? null : d.getSpec().getTemplate().getSpec();
  }
}
