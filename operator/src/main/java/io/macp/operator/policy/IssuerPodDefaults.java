package io.macp.operator.policy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;

/**
 * What the issuer pods get when the spec says nothing and the model cannot default it: the
 * container ports, the pod annotations and the resources. Read by the validator into {@link
 * IssuerPolicy.PodSettings}; the builders then read the policy.
 */
public final class IssuerPodDefaults {
  /** The main port: POST /tokens and, for compatibility, everything else. */
  public static final int CONTAINER_PORT = 3200;
  /** The public port (MACP_AUTH_PUBLIC_PORT): JWKS, discovery, health and metrics, never the mint. */
  public static final int PUBLIC_CONTAINER_PORT = 3201;

  /** Default pod annotations, so annotation-based Prometheus setups scrape the public port. */
  public static final Map<String, String> ANNOTATIONS = Map.of(
      "prometheus.io/scrape", "true",
      "prometheus.io/port", Integer.toString(PUBLIC_CONTAINER_PORT),
      "prometheus.io/path", "/metrics");

  private IssuerPodDefaults() {}

  /**
   * Without spec.resources: small requests, a memory limit, no CPU limit (no throttling). A new
   * object on each call, so no policy shares (or lets a builder change) another's.
   */
  public static ResourceRequirements resources() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("50m"))
        .addToRequests("memory", new Quantity("96Mi"))
        .addToLimits("memory", new Quantity("256Mi"))
        .build();
  }
}
