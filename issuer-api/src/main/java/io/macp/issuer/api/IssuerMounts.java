package io.macp.issuer.api;

/**
 * Where an operator-managed issuer pod finds its files: the operator mounts the volumes there and
 * points the {@link IssuerEnvNames} at them; the mint policy refers to its neighbours relative to
 * its own mount. Absolute paths in the container.
 */
public final class IssuerMounts {
  private IssuerMounts() {}

  /** The key Secret's mount; the key set is {@value #KEYSET_FILE_NAME} there. */
  public static final String KEYS_MOUNT_PATH = "/var/run/macp/keys";
  public static final String KEYSET_FILE_NAME = "keyset.json";
  /**
   * The observer bearer token (GET /verifiers, docs/verifiers.md): a second data key of the key
   * Secret, so it arrives in the same mount.
   */
  public static final String OBSERVER_TOKEN_FILE_NAME = "observer-token";
  public static final String OBSERVER_TOKEN_FILE = KEYS_MOUNT_PATH + "/" + OBSERVER_TOKEN_FILE_NAME;
  /** The mint policy ConfigMap's mount; the policy is {@value #MINT_POLICY_FILE_NAME} there. */
  public static final String MINT_POLICY_MOUNT_PATH = "/var/run/macp/mint-policy";
  public static final String MINT_POLICY_FILE_NAME = "policy.json";
  /** The shared-secret token Secret's mount (one file per client). */
  public static final String MINT_TOKENS_MOUNT_PATH = "/var/run/macp/mint-tokens";
  /** The {@code kubernetes.io/tls} Secret's mount. */
  public static final String TLS_MOUNT_PATH = "/var/run/macp/tls";
  public static final String TLS_CERT_FILE_NAME = "tls.crt";
  public static final String TLS_KEY_FILE_NAME = "tls.key";
  /** The projected ServiceAccount token for TokenReview, with the cluster CA. */
  public static final String SA_TOKEN_MOUNT_PATH = "/var/run/macp/serviceaccount";
  public static final String SA_TOKEN_FILE_NAME = "token";
  public static final String SA_CA_FILE_NAME = "ca.crt";

  /** {@value #KEYS_MOUNT_PATH}/{@value #KEYSET_FILE_NAME}. */
  public static final String KEYSET_FILE = KEYS_MOUNT_PATH + "/" + KEYSET_FILE_NAME;
  /** {@value #MINT_POLICY_MOUNT_PATH}/{@value #MINT_POLICY_FILE_NAME}. */
  public static final String MINT_POLICY_FILE = MINT_POLICY_MOUNT_PATH + "/" + MINT_POLICY_FILE_NAME;
}
