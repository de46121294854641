package io.macp.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * How many issuer replicas serve, read from the Deployment's status.
 *
 * <p>The issuer counts as Available once at least one replica is available: one replica mints and
 * serves the JWKS, and the Deployment's own rolling update (maxUnavailable 0) keeps it so. The
 * message shows available/desired so a degraded issuer is still visible.
 */
public record Availability(boolean deploymentFound, int desired, int available) {
  public static final Availability NO_DEPLOYMENT = new Availability(false, 0, 0);

  public static Availability of(Deployment deployment) {
    if (deployment == null) {
      return NO_DEPLOYMENT;
    }
    int desired =
        deployment.getSpec() == null || deployment.getSpec().getReplicas() == null
            ? 1
            : deployment.getSpec().getReplicas();
    Integer available =
        deployment.getStatus() == null ? null : deployment.getStatus().getAvailableReplicas();
    return new Availability(true, desired, available == null ? 0 : available);
  }

  public boolean isAvailable() {
    return deploymentFound && available >= 1;
  }
}
