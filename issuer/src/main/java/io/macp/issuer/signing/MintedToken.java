package io.macp.issuer.signing;

/**
 * A signed token and the facts the audit line and the answer need about it.
 *
 * @param token the compact JWS (a bearer credential: never log it)
 * @param kid the key that signed it
 * @param jti its unique id
 * @param issuedAt {@code iat}, seconds since the epoch
 * @param expiresAt {@code exp}, seconds since the epoch
 */
public record MintedToken(String token, String kid, String jti, long issuedAt, long expiresAt) {
  @Override
  public String toString() {
    return "MintedToken[kid=" + kid + ", jti=" + jti + ", iat=" + issuedAt + ", exp=" + expiresAt
        + "]";
  }
}
