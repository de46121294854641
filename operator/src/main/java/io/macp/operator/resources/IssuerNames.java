package io.macp.operator.resources;

import io.macp.issuer.api.IssuerMounts;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerEndpoints;
import io.macp.operator.policy.IssuerPodDefaults;
import java.util.Map;

/**
 * Names, labels and paths every managed object of one issuer shares; one place so they never drift.
 * The paths inside the issuer pod are the contract's ({@link IssuerMounts}).
 */
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
  public static final String KEYSET_KEY = IssuerMounts.KEYSET_FILE_NAME;
  /** The key Secret's data key holding the observer bearer token (GET /verifiers). */
  public static final String OBSERVER_TOKEN_KEY = IssuerMounts.OBSERVER_TOKEN_FILE_NAME;
  public static final String KEYS_MOUNT_PATH = IssuerMounts.KEYS_MOUNT_PATH;
  public static final String JWKS_KEY = "jwks.json";

  /** The main port: POST /tokens and, for compatibility, everything else. */
  public static final int CONTAINER_PORT = IssuerPodDefaults.CONTAINER_PORT;
  /** The public port (MACP_AUTH_PUBLIC_PORT): JWKS, discovery, health and metrics, never the mint. */
  public static final int PUBLIC_CONTAINER_PORT = IssuerPodDefaults.PUBLIC_CONTAINER_PORT;

  /** Where issuer pods find the mint policy, the shared tokens, TLS files and their own SA token. */
  public static final String MINT_POLICY_KEY = IssuerMounts.MINT_POLICY_FILE_NAME;
  public static final String MINT_POLICY_MOUNT_PATH = IssuerMounts.MINT_POLICY_MOUNT_PATH;
  public static final String MINT_TOKENS_MOUNT_PATH = IssuerMounts.MINT_TOKENS_MOUNT_PATH;
  public static final String TLS_MOUNT_PATH = IssuerMounts.TLS_MOUNT_PATH;
  public static final String TLS_CERT_KEY = IssuerMounts.TLS_CERT_FILE_NAME;
  public static final String TLS_KEY_KEY = IssuerMounts.TLS_KEY_FILE_NAME;
  public static final String SA_TOKEN_MOUNT_PATH = IssuerMounts.SA_TOKEN_MOUNT_PATH;
  public static final String SA_TOKEN_FILE = IssuerMounts.SA_TOKEN_FILE_NAME;
  public static final String SA_CA_FILE = IssuerMounts.SA_CA_FILE_NAME;

  /** The ClusterRole shipped in deploy/ that allows exactly {@code create tokenreviews}. */
  public static final String TOKENREVIEW_CLUSTER_ROLE = "macp-issuer-tokenreview";

  /**
   * The one ClusterRoleBinding, installed by deploy/ with the same name as its role, whose
   * subjects the operator maintains (get and update by name only).
   */
  public static final String TOKENREVIEW_BINDING = TOKENREVIEW_CLUSTER_ROLE;

  private IssuerNames() {}

  public static String keySecret(MacpIssuer issuer) {
    return issuer.getMetadata().getName() + "-keys";
  }

  public static String jwksConfigMap(MacpIssuer issuer) {
    return issuer.getMetadata().getName() + "-jwks";
  }

  public static String mintPolicyConfigMap(MacpIssuer issuer) {
    return issuer.getMetadata().getName() + "-mint-policy";
  }

  /** The issuer pods' own ServiceAccount, only in ServiceAccount mode. */
  public static String issuerServiceAccount(MacpIssuer issuer) {
    return issuer.getMetadata().getName() + "-issuer";
  }

  public static String networkPolicy(MacpIssuer issuer) {
    return issuer.getMetadata().getName();
  }

  /**
   * The per-issuer ClusterRoleBinding that versions up to 0.1.0 created. The operator no longer
   * creates or deletes it (it may not); it only names it in a Warning so a person deletes it.
   */
  public static String legacyTokenReviewBinding(MacpIssuer issuer) {
    return TOKENREVIEW_CLUSTER_ROLE + ":" + issuer.getMetadata().getNamespace() + ":"
        + issuer.getMetadata().getName();
  }

  public static String deployment(MacpIssuer issuer) {
    return issuer.getMetadata().getName();
  }

  public static String service(MacpIssuer issuer) {
    return IssuerEndpoints.serviceName(issuer);
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
