package io.macp.issuer.http;

/** How a mint request ended: the {@code outcome} of the audit line and of the mint counter. */
public enum MintOutcome {
  /** A token was issued. */
  ISSUED("issued"),
  /** The body broke the contract (400). */
  INVALID("invalid"),
  /** The body was over the size limit (413). */
  TOO_LARGE("too_large"),
  /** The gate could not authenticate the caller (401). */
  UNAUTHENTICATED("unauthenticated"),
  /** The gate refused the caller this sender, scope or TTL (403). */
  FORBIDDEN("forbidden"),
  /** The gate's rate limit refused the caller (429). */
  RATE_LIMITED("rate_limited"),
  /** No key may sign now (503). */
  UNAVAILABLE("unavailable"),
  /** A bug: signing or the gate failed (500). */
  ERROR("error");

  private final String label;

  MintOutcome(String label) {
    this.label = label;
  }

  /** The lower-case name used in metrics and audit lines. */
  public String label() {
    return label;
  }

  static MintOutcome ofDenial(int status) {
    return switch (status) {
      case 401 -> UNAUTHENTICATED;
      case 403 -> FORBIDDEN;
      default -> RATE_LIMITED;
    };
  }
}
