package io.macp.devcluster.e2e;

import io.macp.operator.model.v1alpha1.KeyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which keys signed during a run and why each took over, from the timestamps the operator
 * published in status.keys[]: the independent account the kids seen in tokens are compared with.
 */
final class SignerHistory {
  /** Why a key became the signer. */
  enum Cause {
    /** the first key of the issuer */
    GENESIS,
    /** exactly one period after its predecessor activated */
    SCHEDULED,
    /** moved earlier by a macp.io/rotate request */
    REQUESTED,
    /** promoted at the instant its predecessor, the active key, was revoked */
    REVOKE_PROMOTION,
    /** none of the above: a timeline the model does not produce */
    UNEXPLAINED
  }

  record Activation(String kid, Instant createdAt, Instant activateAt, Cause cause) {}

  private SignerHistory() {}

  /**
   * @param keys the last known status of every key seen during the run
   * @param until the end of the run: keys activating later never signed
   * @param requestedKids keys whose activation a rotate request moved
   */
  static List<Activation> of(
      Collection<KeyStatus> keys, Instant until, Duration period, Set<String> requestedKids) {
    List<KeyStatus> signers = keys.stream()
        .filter(k -> !instant(k.getActivateAt()).isAfter(until))
        .filter(k -> k.getRevokedAt() == null
            || instant(k.getRevokedAt()).isAfter(instant(k.getActivateAt())))
        .sorted(Comparator.comparing((KeyStatus k) -> instant(k.getActivateAt()))
            .thenComparing(KeyStatus::getKid))
        .toList();
    List<Activation> out = new ArrayList<>();
    for (int i = 0; i < signers.size(); i++) {
      KeyStatus k = signers.get(i);
      Instant activateAt = instant(k.getActivateAt());
      Cause cause;
      if (i == 0) {
        cause = Cause.GENESIS;
      } else {
        KeyStatus previous = signers.get(i - 1);
        if (previous.getRevokedAt() != null && instant(previous.getRevokedAt()).equals(activateAt)) {
          cause = Cause.REVOKE_PROMOTION;
        } else if (requestedKids.contains(k.getKid())) {
          cause = Cause.REQUESTED;
        } else if (instant(previous.getActivateAt()).plus(period).equals(activateAt)) {
          cause = Cause.SCHEDULED;
        } else {
          cause = Cause.UNEXPLAINED;
        }
      }
      out.add(new Activation(k.getKid(), instant(k.getCreatedAt()), activateAt, cause));
    }
    return out;
  }

  static long count(List<Activation> history, Cause cause) {
    return history.stream().filter(a -> a.cause() == cause).count();
  }

  static Instant instant(String rfc3339) {
    return Instant.parse(rfc3339);
  }
}
