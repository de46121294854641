package io.macp.keyset;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One JWKS client as the issuer replicas saw it: its name (source address and User-Agent), its
 * latest fetch from any replica and the kids of the JWKS that fetch gave it.
 *
 * @param name e.g. {@code 10.0.3.7 (macp-runtime/1.4)}; safe to show
 * @param lastFetch the latest fetch seen by any replica
 * @param kids the kids it holds since that fetch
 */
public record ObservedVerifier(String name, Instant lastFetch, Set<String> kids) {
  public ObservedVerifier {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lastFetch, "lastFetch");
    kids = Set.copyOf(kids);
  }
}
