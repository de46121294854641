package io.macp.issuer.security.policy;

/**
 * Why a mint was refused. The label goes to the audit line and the
 * {@code macp_issuer_mint_denials_total{reason}} metric; the caller only sees the generic body.
 */
public enum DenialReason {
  MISSING_CREDENTIALS("missing_credentials", 401),
  MALFORMED_CREDENTIALS("malformed_credentials", 401),
  INVALID_CREDENTIALS("invalid_credentials", 401),
  NOT_A_SERVICE_ACCOUNT("not_a_service_account", 401),
  AUDIENCE_MISMATCH("audience_mismatch", 401),
  TOKEN_REVIEW_UNAVAILABLE("tokenreview_unavailable", 401),
  TOKEN_REVIEW_BUSY("tokenreview_busy", 401),
  NO_CLIENT_BINDING("no_client_binding", 403),
  RATE_LIMITED("rate_limited", 429),
  SENDER_NOT_ALLOWED("sender_not_allowed", 403),
  SCOPE_EXCEEDS_CEILING("scope_exceeds_ceiling", 403);

  public static final String BODY_UNAUTHENTICATED = "{\"error\":\"unauthenticated\"}";
  public static final String BODY_FORBIDDEN = "{\"error\":\"forbidden\"}";
  public static final String BODY_RATE_LIMITED = "{\"error\":\"rate limited\"}";

  private final String label;
  private final int status;

  DenialReason(String label, int status) {
    this.label = label;
    this.status = status;
  }

  public String label() {
    return label;
  }

  /** 401, 403 or 429. */
  public int status() {
    return status;
  }

  /** The generic answer body: the same for every reason with this status. */
  public String body() {
    return switch (status) {
      case 401 -> BODY_UNAUTHENTICATED;
      case 429 -> BODY_RATE_LIMITED;
      default -> BODY_FORBIDDEN;
    };
  }

  public boolean isAuthenticationFailure() {
    return status == 401;
  }
}
