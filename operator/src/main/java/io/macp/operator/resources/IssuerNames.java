package io.macp.operator.resources;

import io.macp.operator.model.MacpIssuer;
import java.util.Map;

/** Names, labels and paths every managed object of one issuer shares; one place so they never drift. */
public final class IssuerNames {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "macp-issuer-operator";
  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String NAME = "macp-issuer";
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

  /** Informers watch only objects with this selector: the operator never caches every Secret. */
  public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;

  /** The key Secret's data key, the mounted file name, and where issuer pods find it. */
  public static final String KEYSET_KEY = "keyset.json";
  public static final String KEYS_MOUNT_PATH = "/var/run/macp/keys";
  public static final String JWKS_KEY = "jwks.json";

  public static final int CONTAINER_PORT = 3200;

  private IssuerNames() {}

  public static String keySecret(MacpIssuer issuer) {
    return issuer.getMetadata().getName() + "-keys";
  }

  public static String jwksConfigMap(MacpIssuer issuer) {
    return issuer.getMetadata().getName() + "-jwks";
  }

  public static String deployment(MacpIssuer issuer) {
    return issuer.getMetadata().getName();
  }

  public static String service(MacpIssuer issuer) {
    return issuer.getMetadata().getName();
  }

  /** Labels on every managed object. */
  public static Map<String, String> labels(MacpIssuer issuer) {
    return Map.of(
        MANAGED_BY_LABEL, MANAGED_BY,
        NAME_LABEL, NAME,
        INSTANCE_LABEL, issuer.getMetadata().getName());
  }

  /** The pod selector of an issuer's Deployment, Service and PodDisruptionBudget. */
  public static Map<String, String> podSelector(MacpIssuer issuer) {
    return Map.of(NAME_LABEL, NAME, INSTANCE_LABEL, issuer.getMetadata().getName());
  }
}
