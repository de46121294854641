package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.keyset.Durations;
import io.macp.keyset.RotationPolicy;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a Secret update may take to reach an issuer replica: what the Deployment (or its
 * MacpIssuer) declares, and the part of it the simulated kubelet may use.
 */
final class DeclaredPropagation {
  private static final Logger LOG = LoggerFactory.getLogger(DeclaredPropagation.class);
  static final String PROPAGATION_DELAY_ENV = "MACP_AUTH_PROPAGATION_DELAY";
  static final String POLL_INTERVAL_ENV = "MACP_AUTH_KEYSET_POLL_INTERVAL";

  private final KubernetesClient client;

  DeclaredPropagation(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The issuer container's MACP_AUTH_PROPAGATION_DELAY, else the owning MacpIssuer's
   * spec.rotation.propagationDelay, else the model default.
   */
  Duration declared(IssuerPodSpec spec, Deployment deployment) {
    return spec.literalEnv(PROPAGATION_DELAY_ENV).flatMap(DeclaredPropagation::parse)
        .or(() -> ownerIssuer(deployment)
            .map(i -> i.getSpec() == null || i.getSpec().getRotation() == null
                ? null : i.getSpec().getRotation().getPropagationDelay())
            .flatMap(DeclaredPropagation::parse))
        .orElse(RotationPolicy.DEFAULTS.propagationDelay());
  }

  /**
   * The bound of one replica's file update: the declared delay minus the issuer's file poll
   * interval (when its env sets one), so "Secret written" to "replica signs with it" stays within
   * the declared delay. Never negative.
   */
  static Duration kubeletBound(Duration declared, IssuerPodSpec spec) {
    Duration poll = spec.literalEnv(POLL_INTERVAL_ENV).flatMap(DeclaredPropagation::parse).orElse(Duration.ZERO);
    Duration bound = declared.minus(poll);
    return bound.isNegative() ? Duration.ZERO : bound;
  }

  private Optional<MacpIssuer> ownerIssuer(Deployment d) {
    List<OwnerReference> owners = Optional.ofNullable(d.getMetadata().getOwnerReferences()).orElse(List.of());
    String ownerName =
        owners.stream()
            .filter(o -> "MacpIssuer".equals(o.getKind()))
            .map(OwnerReference::getName)
            .findFirst()
            .orElse(d.getMetadata().getLabels() == null ? null
                : d.getMetadata().getLabels().get(IssuerNames.INSTANCE_LABEL));
    if (ownerName == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(
          client.resources(MacpIssuer.class).inNamespace(d.getMetadata().getNamespace()).withName(ownerName).get());
    } catch (RuntimeException e) {
      LOG.debug("cannot read MacpIssuer {}: {}", ownerName, e.toString());
      return Optional.empty();
    }
  }

  private static Optional<Duration> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Durations.parse(text.trim()));
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring propagation setting '{}': {}", text, e.getMessage());
      return Optional.empty();
    }
  }
}
