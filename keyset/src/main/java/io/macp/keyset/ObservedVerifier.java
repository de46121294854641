package io.macp.keyset;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One JWKS client as the issuer replicas saw it: its name (source address and User-Agent), its
 * latest fetch from any replica, the fetch before that (from any replica) and the kids of the JWKS
 * the latest fetch gave it.
 *
 * @param name e.g. {@code 10.0.3.7 (macp-runtime/1.4)}; safe to show
 * @param lastFetch the latest fetch seen by any replica
 * @param previousFetch the latest fetch before {@code lastFetch} seen by any replica, or null
 *     when only one was seen; always earlier than {@code lastFetch}
 * @param kids the kids it holds since that fetch
 */
public record ObservedVerifier(String name, Instant lastFetch, Instant previousFetch,
    Set<String> kids) {
  public ObservedVerifier {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lastFetch, "lastFetch");
    if (previousFetch != null && !previousFetch.isBefore(lastFetch)) {
      throw new IllegalArgumentException("previousFetch " + previousFetch
          + " is not before lastFetch " + lastFetch);
    }
    kids = Set.copyOf(kids);
  }

  /** A client seen fetching once (no refresh interval known). */
  public ObservedVerifier(String name, Instant lastFetch, Set<String> kids) {
    this(name, lastFetch, null, kids);
  }

  /**
   * Its observed refresh interval: {@code lastFetch − previousFetch}, empty when only one fetch
   * was seen.
   */
  public Optional<Duration> interval() {
    return previousFetch == null ? Optional.empty()
        : Optional.of(Duration.between(previousFetch, lastFetch));
  }
}
