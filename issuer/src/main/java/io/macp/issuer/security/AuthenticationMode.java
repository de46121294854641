package io.macp.issuer.security;

/** How the mint endpoint authenticates its callers; the names are those of the policy file. */
public enum AuthenticationMode {
  /** Anyone who reaches the port (the reference behaviour); caller id {@code anonymous}. */
  NONE("None"),
  /** {@code Authorization: Bearer <token>} against named tokens mounted from a Secret. */
  SHARED_SECRET("SharedSecret"),
  /** A projected Kubernetes ServiceAccount token, checked with the TokenReview API. */
  SERVICE_ACCOUNT("ServiceAccount");

  private final String policyName;

  AuthenticationMode(String policyName) {
    this.policyName = policyName;
  }

  /** The spelling used in the policy file, the CRD and the metric label. */
  public String policyName() {
    return policyName;
  }

  public static AuthenticationMode fromPolicyName(String name) {
    for (AuthenticationMode m : values()) {
      if (m.policyName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "authentication must be one of None, SharedSecret, ServiceAccount, not '" + name + "'");
  }
}
