package io.macp.keyset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes the key set that should exist now from the stored one, the policy and the clock. Pure
 * but for key generation, which is injected. It keeps no state between calls: every deadline is
 * derived from stored timestamps, so a restarted or new operator (or a standalone issuer) plans
 * exactly what the previous one would have. Existing keys are never regenerated.
 */
public final class KeySetPlanner {
  private final KeyGenerator generator;

  public KeySetPlanner(KeyGenerator generator) {
    this.generator = Objects.requireNonNull(generator);
  }

  public KeySetPlan plan(
      KeySet current, RotationPolicy policy, KeySpec spec, Instant now, RotationRequests requests) {
    return plan(current, policy, spec, now, requests, GateInput.OFF);
  }

  /**
   * Plans as above, then lets the activation gate postpone the next key's activation (only ever
   * later; see {@link ActivationGatePolicy}) before retirements are set, so the current signer's
   * retireAt and removeAt follow a held activation.
   */
  public KeySetPlan plan(KeySet current, RotationPolicy policy, KeySpec spec, Instant now,
      RotationRequests requests, GateInput gateInput) {
    policy.validated();
    List<ManagedKey> keys = new ArrayList<>(current.keys());
    List<String> warnings = new ArrayList<>();

    for (String kid : requests.revokeKids()) {
      revoke(keys, kid, policy, spec, now, warnings);
    }
    if (keys.stream().noneMatch(k -> !k.isRevoked())) {
      // Genesis (or every key revoked): nothing was ever verifiable with a newer key, so sign now.
      keys.add(ManagedKey.created(generator.generate(spec), now, now));
    }
    if (requests.rotateNow()) {
      rotateNow(keys, policy, spec, now);
    }
    dropPendingKeysOfAnotherKind(keys, spec, now);
    ensureNextKey(keys, policy, spec, now);
    KeySet ungated = new KeySet(keys);
    String pendingKid = ungated.nextToActivateAfter(now).map(ManagedKey::kid).orElse(null);
    ActivationGatePolicy.Result gated = ActivationGatePolicy.apply(ungated, policy,
        gateInput.gate(), gateInput.coverage(), now, gateInput.plannedActivateAtOf(pendingKid));
    keys = new ArrayList<>(gated.keySet().keys());
    setRetirements(keys, policy, now);
    prune(keys, now);

    KeySet desired = new KeySet(keys);
    Optional<Instant> deadline = desired.nextChangeAfter(now);
    Optional<Instant> check = gated.decision().nextCheck();
    if (check.isPresent() && (deadline.isEmpty() || check.get().isBefore(deadline.get()))) {
      deadline = check;
    }
    return new KeySetPlan(
        desired, !desired.equals(current), deadline, warnings, gated.decision());
  }

  private void revoke(
      List<ManagedKey> keys,
      String kid,
      RotationPolicy policy,
      KeySpec spec,
      Instant now,
      List<String> warnings) {
    int i = indexOf(keys, kid);
    if (i < 0) {
      warnings.add("revoke: no key with kid '" + kid + "' in the key set");
      return;
    }
    ManagedKey key = keys.get(i);
    if (key.isRevoked()) {
      return;
    }
    boolean wasSigner = new KeySet(keys).signerAt(now).map(s -> s.kid().equals(kid)).orElse(false);
    keys.set(i, key.revoked(now, now.plus(policy.retention())));
    if (!wasSigner) {
      return;
    }
    Optional<ManagedKey> next = new KeySet(keys).nextToActivateAfter(now);
    if (next.isPresent()) {
      // The pre-published next key has usually been public for a whole period: promote it now.
      keys.set(indexOf(keys, next.get().kid()), next.get().withActivateAt(now));
    } else {
      keys.add(ManagedKey.created(generator.generate(spec), now, now));
      warnings.add(
          "revoke: no pre-published key could take over; a new key signs at once and verifiers"
              + " reject its tokens until their JWKS cache refreshes");
    }
  }

  private void rotateNow(List<ManagedKey> keys, RotationPolicy policy, KeySpec spec, Instant now) {
    Optional<ManagedKey> pending = new KeySet(keys).nextToActivateAfter(now);
    if (pending.isEmpty()) {
      keys.add(ManagedKey.created(generator.generate(spec), now, now.plus(policy.leadTime())));
      return;
    }
    ManagedKey next = pending.get();
    // Not before now + D: every replica must hold the new timeline before the switch, or a lagging
    // replica keeps signing with the old key past the retireAt its retention is computed from.
    Instant earliest =
        max(now.plus(policy.propagationDelay()), next.createdAt().plus(policy.leadTime()));
    if (earliest.isBefore(next.activateAt())) {
      keys.set(indexOf(keys, next.kid()), next.withActivateAt(earliest));
    }
  }

  /** A key of the old kind that never signed is simply withdrawn when the algorithm changes. */
  private void dropPendingKeysOfAnotherKind(List<ManagedKey> keys, KeySpec spec, Instant now) {
    keys.removeIf(k -> !k.isRevoked() && k.activateAt().isAfter(now) && !k.spec().equals(spec));
  }

  private void ensureNextKey(List<ManagedKey> keys, RotationPolicy policy, KeySpec spec, Instant now) {
    KeySet current = new KeySet(keys);
    if (current.nextToActivateAfter(now).isPresent()) {
      return;
    }
    ManagedKey signer = current.signerAt(now).orElseThrow();
    Instant earliest = now.plus(policy.leadTime());
    Instant activateAt =
        signer.spec().equals(spec) ? max(signer.activateAt().plus(policy.period()), earliest) : earliest;
    keys.add(ManagedKey.created(generator.generate(spec), now, activateAt));
  }

  /**
   * Each key retires when its successor activates and stays public for the retention after that.
   * A key that may still sign gets the exact removeAt; one already retired only ever gets a later
   * one (a longer maximum TTL extends it, a shorter one never cuts tokens already issued).
   */
  private void setRetirements(List<ManagedKey> keys, RotationPolicy policy, Instant now) {
    List<ManagedKey> live = keys.stream()
        .filter(k -> !k.isRevoked())
        .sorted(Comparator.comparing(ManagedKey::activateAt).thenComparing(ManagedKey::kid))
        .toList();
    for (int i = 0; i < live.size(); i++) {
      ManagedKey k = live.get(i);
      ManagedKey updated;
      if (i == live.size() - 1) {
        updated = k.withRetirement(null, null);
      } else {
        Instant retireAt = live.get(i + 1).activateAt();
        Instant removeAt = retireAt.plus(policy.retention());
        if (!retireAt.isAfter(now) && k.removeAt() != null && k.removeAt().isAfter(removeAt)) {
          removeAt = k.removeAt();
        }
        updated = k.withRetirement(retireAt, removeAt);
      }
      keys.set(indexOf(keys, k.kid()), updated);
    }
  }

  private static void prune(List<ManagedKey> keys, Instant now) {
    keys.removeIf(k -> k.removeAt() != null && !now.isBefore(k.removeAt()));
  }

  private static int indexOf(List<ManagedKey> keys, String kid) {
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).kid().equals(kid)) {
        return i;
      }
    }
    return -1;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
