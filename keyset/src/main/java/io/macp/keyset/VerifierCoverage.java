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
 * last), and its refresh interval comes from the union of the replicas' fetch times.
 */
public record VerifierCoverage(List<ObservedVerifier> verifiers) {
  public static final VerifierCoverage NONE = new VerifierCoverage(List.of());
  /** A client stays known for {@value #INTERVAL_FACTOR} of its observed refresh intervals. */
  public static final int INTERVAL_FACTOR = 2;
  /**
   * However long its observed interval, a client is gone after this (the longest maxHold): one
   * verifier that vanished cannot keep counting for longer.
   */
  public static final Duration MAX_GONE_AFTER = ActivationGate.MAX_MAX_HOLD;

  public VerifierCoverage {
    verifiers = List.copyOf(verifiers);
  }

  /**
   * Merges the replicas' views: one entry per name, with the latest fetch of that name (and its
   * kids) and, as {@code previousFetch}, the latest earlier fetch time in the union of every
   * replica's {@code lastFetch} and {@code previousFetch}. A client balanced over replicas
   * fetches from each only now and then, so one replica's interval is only an upper bound of the
   * real one; the union of each replica's two latest fetches holds the client's two latest
   * fetches overall (the latest is some replica's last, the one before is either that replica's
   * previous or another replica's last), so the merged interval is the real latest interval when
   * every replica was read, and an upper bound otherwise.
   */
  public static VerifierCoverage merge(Collection<? extends Collection<ObservedVerifier>> replicas) {
    Map<String, ObservedVerifier> latest = new LinkedHashMap<>();
    for (Collection<ObservedVerifier> replica : replicas) {
      for (ObservedVerifier v : replica) {
        latest.merge(v.name(), v, VerifierCoverage::mergeOne);
      }
    }
    return new VerifierCoverage(new ArrayList<>(latest.values()));
  }

  private static ObservedVerifier mergeOne(ObservedVerifier a, ObservedVerifier b) {
    ObservedVerifier newer = b.lastFetch().isAfter(a.lastFetch()) ? b : a;
    ObservedVerifier older = newer == b ? a : b;
    // the latest time of the union {a.last, a.previous, b.last, b.previous} before newer.last
    Instant previous = null;
    for (Instant t : new Instant[] {older.lastFetch(), older.previousFetch(),
        newer.previousFetch()}) {
      if (t != null && t.isBefore(newer.lastFetch())
          && (previous == null || t.isAfter(previous))) {
        previous = t;
      }
    }
    return new ObservedVerifier(newer.name(), newer.lastFetch(), previous, newer.kids());
  }

  /**
   * How long after its last fetch any client still counts as a verifier: {@code 2×C + G}. A
   * verifier refreshes every C; one whose refreshes fail still verifies with its stale copy for up
   * to G more; the second C is slack for a refresh in flight.
   */
  public static Duration goneAfter(RotationPolicy policy) {
    return policy.verifierCacheTtl().multipliedBy(2).plus(policy.verifierStaleGrace());
  }

  /**
   * How long after its last fetch {@code v} still counts as a verifier:
   * {@code max(2×C + G, min(2 × its observed interval, 24h))}. A verifier that really refreshes
   * less often than C (the ones the gate exists for) is thus not forgotten between two of its
   * fetches; past it, the client is gone (a scaled-down pod, a one-off curl) and holds nothing
   * back.
   */
  public static Duration goneAfter(ObservedVerifier v, RotationPolicy policy) {
    Duration base = goneAfter(policy);
    Duration own = v.interval().map(i -> i.multipliedBy(INTERVAL_FACTOR)).orElse(Duration.ZERO);
    if (own.compareTo(MAX_GONE_AFTER) > 0) {
      own = MAX_GONE_AFTER;
    }
    return own.compareTo(base) > 0 ? own : base;
  }

  /** Clients that fetched within their {@link #goneAfter(ObservedVerifier, RotationPolicy)} of
   * {@code now}, oldest fetch first. */
  public List<ObservedVerifier> knownAt(Instant now, RotationPolicy policy) {
    return verifiers.stream()
        .filter(v -> v.lastFetch().isAfter(now.minus(goneAfter(v, policy))))
        .sorted(Comparator.comparing(ObservedVerifier::lastFetch)
            .thenComparing(ObservedVerifier::name))
        .toList();
  }
}
