package io.macp.issuer.security.authn;

/**
 * The credentials of one mint request, as the HTTP layer received them.
 *
 * @param authorization the raw {@code Authorization} header, {@code ""} when it was sent more than
 *     once (ambiguous, so malformed), or null when absent
 */
public record MintCaller(String authorization) {
  /** Never prints the header. */
  @Override
  public String toString() {
    return "MintCaller[authorization=" + (authorization == null ? "absent" : "present") + "]";
  }
}
