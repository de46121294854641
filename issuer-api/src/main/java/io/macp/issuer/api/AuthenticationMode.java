package io.macp.issuer.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How the mint endpoint authenticates its callers: {@code spec.mint.authentication} in the CRD and
 * {@code authentication} in the mint policy file, spelled the same ({@link #policyName()}).
 */
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
  @JsonValue
  public String policyName() {
    return policyName;
  }

  /** @throws IllegalArgumentException for any other spelling, naming the allowed ones */
  @JsonCreator
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
