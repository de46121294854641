package io.macp.operator.reconciler;

import io.macp.keyset.KeyPhase;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import io.macp.keyset.RotationPolicy;
import io.macp.operator.model.v1alpha1.KeyStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the key timeline last shown in status with the key set now, and says which key events
 * happened in between. Pure: the same inputs give the same events, so a reconcile that changes
 * nothing raises nothing.
 */
public final class KeyEventsDiffer {
  public static final String KEY_GENERATED = "KeyGenerated";
  public static final String KEY_ACTIVATED = "KeyActivated";
  public static final String KEY_RETIRED = "KeyRetired";
  public static final String KEY_REMOVED = "KeyRemoved";
  public static final String KEY_REVOKED = "KeyRevoked";

  private KeyEventsDiffer() {}

  public static List<KeyEvent> diff(
      List<KeyStatus> previous, KeySet current, RotationPolicy policy, Instant now) {
    Map<String, String> before = new LinkedHashMap<>();
    if (previous != null) {
      for (KeyStatus k : previous) {
        before.put(k.getKid(), k.getPhase());
      }
    }
    List<KeyEvent> events = new ArrayList<>();
    for (ManagedKey key : current.keys()) {
      KeyPhase phase = current.phaseAt(key, now);
      String was = before.remove(key.kid());
      if (was == null) {
        if (phase == KeyPhase.Revoked) {
          continue; // a key we never showed that is already revoked: nothing to announce
        }
        events.add(KeyEvent.normal(KEY_GENERATED, "generated key " + key.kid() + " ("
            + key.spec() + "), published now, activates at " + key.activateAt())
            .decidedBy(key.kid()));
        was = KeyPhase.Published.name();
      }
      if (phase.name().equals(was)) {
        continue;
      }
      switch (phase) {
        case Active -> events.add(KeyEvent.normal(KEY_ACTIVATED,
            "key " + key.kid() + " signs new tokens from " + key.activateAt()).decidedBy(key.kid()));
        case Retired -> events.add(KeyEvent.normal(KEY_RETIRED, "key " + key.kid()
            + " no longer signs; it stays in the JWKS until " + key.removeAt()
            + " so tokens it signed keep verifying").decidedBy(key.kid()));
        case Revoked -> events.add(revoked(key, policy, now));
        case Expired -> events.add(KeyEvent.normal(KEY_REMOVED,
            "key " + key.kid() + " left the JWKS at " + key.removeAt()).decidedBy(key.kid(), "expired"));
        case Published -> { }
      }
    }
    for (Map.Entry<String, String> gone : before.entrySet()) {
      events.add(KeyEvent.normal(KEY_REMOVED, "key " + gone.getKey()
          + " was removed from the key set and the JWKS"
          + (KeyPhase.Revoked.name().equals(gone.getValue()) ? " (it had been revoked)" : ""))
          .decidedBy(gone.getKey(), "pruned"));
    }
    return events;
  }

  /** The revocation warning: when verifiers will have dropped the key, and the hard cut-off. */
  static KeyEvent revoked(ManagedKey key, RotationPolicy policy, Instant now) {
    Instant refreshed = policy.revokedKeyDroppedBy(now);
    Instant stale = refreshed.plus(policy.verifierStaleGrace());
    return KeyEvent.warning(KEY_REVOKED, "key " + key.kid()
        + " was revoked: it left the key set and its private part is deleted; issuer replicas"
        + " may still publish and sign with it until they load the new key set (propagation"
        + " delay);"
        + " verifiers drop it by " + refreshed + " (now + propagation delay + verifier cache TTL),"
        + " or by " + stale + " for verifiers whose JWKS refresh fails; restarting a verifier"
        + " drops it at once").decidedBy(key.kid());
  }
}
