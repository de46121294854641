package io.macp.keyset;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the verifiers hold, merged from every issuer replica's observations: per client, the
 * latest fetch from any replica wins (a client balanced across replicas holds what it fetched
 * last).
 */
public record VerifierCoverage(List<ObservedVerifier> verifiers) {
  public static final VerifierCoverage NONE = new VerifierCoverage(List.of());

  public VerifierCoverage {
    verifiers = List.copyOf(verifiers);
  }

  /** Merges the replicas' views: one entry per name, the latest fetch of that name. */
  public static VerifierCoverage merge(Collection<? extends Collection<ObservedVerifier>> replicas) {
    Map<String, ObservedVerifier> latest = new LinkedHashMap<>();
    for (Collection<ObservedVerifier> replica : replicas) {
      for (ObservedVerifier v : replica) {
        latest.merge(v.name(), v, (a, b) -> b.lastFetch().isAfter(a.lastFetch()) ? b : a);
      }
    }
    return new VerifierCoverage(new ArrayList<>(latest.values()));
  }

  /**
   * How long after its last fetch a client still counts as a verifier: {@code 2×C + G}. A
   * verifier refreshes every C; one whose refreshes fail still verifies with its stale copy for up
   * to G more; the second C is slack for a refresh in flight. Past it, the client is gone (a
   * scaled-down pod, a one-off curl) and holds nothing back.
   */
  public static Duration goneAfter(RotationPolicy policy) {
    return policy.verifierCacheTtl().multipliedBy(2).plus(policy.verifierStaleGrace());
  }

  /** Clients that fetched within {@link #goneAfter} of {@code now}, oldest fetch first. */
  public List<ObservedVerifier> knownAt(Instant now, RotationPolicy policy) {
    Instant since = now.minus(goneAfter(policy));
    return verifiers.stream()
        .filter(v -> v.lastFetch().isAfter(since))
        .sorted(Comparator.comparing(ObservedVerifier::lastFetch)
            .thenComparing(ObservedVerifier::name))
        .toList();
  }
}
