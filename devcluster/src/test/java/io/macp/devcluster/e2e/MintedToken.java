package io.macp.devcluster.e2e;

import java.time.Instant;

/**
 * One token a client minted: never printed, it is a bearer credential (even a test one).
 *
 * @param replica the index of the issuer replica that minted it
 */
record MintedToken(long id, String compact, String kid, int replica, Instant mintedAt, Instant exp) {
  @Override
  public String toString() {
    return "MintedToken[id=" + id + ", kid=" + kid + ", replica=" + replica + ", mintedAt=" + mintedAt
        + ", exp=" + exp + "]";
  }
}
