package io.macp.keyset;

import java.time.Duration;
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
 *
 * <p>The rules it keeps (docs/rotation.md states them with their reasons):
 *
 * <ul>
 *   <li>Times that have passed never change; an announced future {@code removeAt} only moves
 *       later; an announced future {@code retireAt} only moves later, except that a rotate
 *       request may bring it earlier, never closer than {@code now + D}.
 *   <li>Each key records the longest token TTL it may sign ({@link ManagedKey#maxTokenTtl()});
 *       it never decreases, issuers clamp to it, and retention is counted from it.
 *   <li>A pending key is never withdrawn or moved within {@code D} of its activation.
 *   <li>No activation makes the key set publish more than {@link RotationPolicy#MAX_KEYS} keys.
 *   <li>Every planned key set passes the document reader ({@link KeySetJson#parse(String)}).
 * </ul>
 */
public final class KeySetPlanner {
  private final KeyGenerator generator;

  public KeySetPlanner(KeyGenerator generator) {
    this.generator = Objects.requireNonNull(generator);
  }

  /**
   * @throws IllegalArgumentException if the policy is not usable (every problem in the message)
   * @throws PlanRefusedException if the planned key set would not be accepted by its own reader
   *     or would exceed {@link KeySetJson#MAX_DOCUMENT_BYTES}; nothing must be written then
   */
  public KeySetPlan plan(
      KeySet current, RotationPolicy policy, KeySpec spec, Instant now, RotationRequests requests) {
    return plan(current, policy, spec, now, requests, current.settings().orElse(null),
        GateInput.OFF);
  }

  /**
   * Plans as above, then lets the activation gate postpone the next key's activation (only ever
   * later; see {@link ActivationGatePolicy}) before retirements are set, so the current signer's
   * retireAt and removeAt follow a held activation.
   */
  public KeySetPlan plan(KeySet current, RotationPolicy policy, KeySpec spec, Instant now,
      RotationRequests requests, GateInput gateInput) {
    return plan(current, policy, spec, now, requests, current.settings().orElse(null), gateInput);
  }

  /**
   * As {@link #plan(KeySet, RotationPolicy, KeySpec, Instant, RotationRequests)}, and the planned
   * document carries {@code settings} (null: none). A settings change alone is a change of the
   * document, written like any other; the key timeline never depends on the settings.
   *
   * @throws IllegalArgumentException also if the settings' maximum token TTL exceeds the
   *     policy's, which the keys' {@code maxTokenTtl} (and so their retention) is raised to
   */
  public KeySetPlan plan(
      KeySet current,
      RotationPolicy policy,
      KeySpec spec,
      Instant now,
      RotationRequests requests,
      IssuerSettings settings) {
    return plan(current, policy, spec, now, requests, settings, GateInput.OFF);
  }

  /** The settings and the activation gate together; every other overload comes here. */
  public KeySetPlan plan(
      KeySet current,
      RotationPolicy policy,
      KeySpec spec,
      Instant now,
      RotationRequests requests,
      IssuerSettings settings,
      GateInput gateInput) {
    policy.validated();
    if (settings != null && settings.maxTokenTtl().compareTo(policy.maxTokenTtl()) > 0) {
      throw new IllegalArgumentException("the key set's tokens.maxTtl "
          + Durations.format(settings.maxTokenTtl()) + " exceeds the rotation policy's "
          + Durations.format(policy.maxTokenTtl()));
    }
    List<ManagedKey> keys = new ArrayList<>(current.keys());
    List<String> warnings = new ArrayList<>();

    for (String kid : requests.revokeKids()) {
      revoke(keys, kid, policy, spec, now, warnings);
    }
    if (new KeySet(keys).signerAt(now).isEmpty()) {
      // Genesis (or every key revoked): nothing was ever verifiable with a newer key, so sign now.
      keys.add(ManagedKey.created(generator.generate(spec), now, now, policy.maxTokenTtl()));
    }
    raiseTokenTtls(keys, policy, now);
    if (requests.rotateNow()) {
      rotateNow(keys, policy, now);
    }
    Instant floor = withdrawPendingKeysOfAnotherKind(keys, spec, policy, now);
    keepLeadTime(keys, policy, now);
    ensureNextKey(keys, policy, spec, now, floor, requests.rotateNow());
    KeySet ungated = new KeySet(keys);
    String pendingKid = ungated.nextToActivateAfter(now).map(ManagedKey::kid).orElse(null);
    ActivationGatePolicy.Result gated = ActivationGatePolicy.apply(ungated, policy,
        gateInput.gate(), gateInput.coverage(), gateInput.complete(), now,
        gateInput.plannedActivateAtOf(pendingKid));
    keys = new ArrayList<>(gated.keySet().keys());
    setRetirements(keys, policy, now);
    prune(keys, now);

    KeySet desired = new KeySet(keys, settings);
    if (!desired.equals(current)) {
      checkReadable(desired);
    }
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
    // The tombstone keeps every announced time (so retireAt <= removeAt still holds); one that
    // had no removeAt yet is kept for the retention, for status and events.
    Instant tombstoneUntil = key.removeAt() != null ? key.removeAt() : now.plus(policy.retention());
    keys.set(i, key.revoked(now, tombstoneUntil));
    if (!wasSigner) {
      return;
    }
    Optional<ManagedKey> next = new KeySet(keys).nextToActivateAfter(now);
    if (next.isPresent()) {
      // The pre-published next key has usually been public for a whole period: promote it now.
      keys.set(indexOf(keys, next.get().kid()), next.get().withActivateAt(now));
      if (now.isBefore(next.get().createdAt().plus(policy.leadTime()))) {
        warnings.add(
            "revoke: the key that takes over ("
                + next.get().kid()
                + ") has been public for less than the lead time; verifiers whose JWKS predates "
                + next.get().createdAt()
                + " reject its tokens until their cache refreshes");
      }
    } else {
      keys.add(ManagedKey.created(generator.generate(spec), now, now, policy.maxTokenTtl()));
      warnings.add(
          "revoke: no pre-published key could take over; a new key signs at once and verifiers"
              + " reject its tokens until their JWKS cache refreshes");
    }
  }

  /**
   * A key that may still sign records the longest TTL of any policy it signed under: a replica
   * that has not yet loaded a lower maximum (or runs the previous pod template) mints up to the
   * old one, and those tokens must verify until they expire.
   */
  private static void raiseTokenTtls(List<ManagedKey> keys, RotationPolicy policy, Instant now) {
    for (int i = 0; i < keys.size(); i++) {
      ManagedKey k = keys.get(i);
      if (k.isRevoked() || (k.retireAt() != null && !k.retireAt().isAfter(now))) {
        continue;
      }
      Duration ttl = k.maxTokenTtl();
      if (ttl == null || ttl.compareTo(policy.maxTokenTtl()) < 0) {
        keys.set(i, k.withMaxTokenTtl(policy.maxTokenTtl()));
      }
    }
  }

  private static void rotateNow(List<ManagedKey> keys, RotationPolicy policy, Instant now) {
    KeySet set = new KeySet(keys);
    Optional<ManagedKey> pending = set.nextToActivateAfter(now);
    if (pending.isEmpty()) {
      return; // ensureNextKey creates one at now + L
    }
    ManagedKey next = pending.get();
    // Not before now + D: every replica must hold the new timeline before the switch, or a lagging
    // replica keeps signing with the old key past the retireAt its retention is computed from.
    Instant earliest =
        max(now.plus(policy.propagationDelay()), next.createdAt().plus(policy.leadTime()));
    earliest = max(earliest, keyCountGate(set, now));
    if (earliest.isBefore(next.activateAt())) {
      keys.set(indexOf(keys, next.kid()), next.withActivateAt(earliest));
    }
  }

  /**
   * A pending key of another kind (the algorithm or RSA size changed) that never signed is
   * withdrawn, but only while every replica can still learn it before it activates: within D of
   * its activation a lagging replica would activate it by the clock, so it is kept, signs its
   * period, and a key of the new kind follows it.
   *
   * @return the latest activation withdrawn (its replacement activates no earlier), or null
   */
  private static Instant withdrawPendingKeysOfAnotherKind(
      List<ManagedKey> keys, KeySpec spec, RotationPolicy policy, Instant now) {
    Instant safe = now.plus(policy.propagationDelay());
    Instant floor = null;
    for (int i = keys.size() - 1; i >= 0; i--) {
      ManagedKey k = keys.get(i);
      if (!k.isRevoked() && k.activateAt().isAfter(safe) && !k.spec().equals(spec)) {
        floor = floor == null ? k.activateAt() : max(floor, k.activateAt());
        keys.remove(i);
      }
    }
    return floor;
  }

  /**
   * A longer lead time (propagation, cache, grace or skew raised) postpones a pending key that
   * was created under the shorter one, if every replica can still learn it in time.
   */
  private static void keepLeadTime(List<ManagedKey> keys, RotationPolicy policy, Instant now) {
    Instant safe = now.plus(policy.propagationDelay());
    for (int i = 0; i < keys.size(); i++) {
      ManagedKey k = keys.get(i);
      Instant earliest = k.createdAt().plus(policy.leadTime());
      if (!k.isRevoked() && k.activateAt().isAfter(safe) && k.activateAt().isBefore(earliest)) {
        keys.set(i, k.withActivateAt(earliest));
      }
    }
  }

  private void ensureNextKey(
      List<ManagedKey> keys,
      RotationPolicy policy,
      KeySpec spec,
      Instant now,
      Instant floor,
      boolean rotateRequested) {
    KeySet current = new KeySet(keys);
    if (current.nextToActivateAfter(now).isPresent()) {
      return;
    }
    ManagedKey signer = current.signerAt(now).orElseThrow();
    Instant activateAt = now.plus(policy.leadTime());
    if (!rotateRequested) {
      activateAt = max(activateAt, signer.activateAt().plus(policy.period()));
      // The signer's announced retirement never moves earlier without a request.
      if (signer.retireAt() != null && signer.retireAt().isAfter(now)) {
        activateAt = max(activateAt, signer.retireAt());
      }
    }
    if (floor != null) {
      activateAt = max(activateAt, floor);
    }
    activateAt = max(activateAt, keyCountGate(current, now));
    keys.add(
        ManagedKey.created(generator.generate(spec), now, activateAt, policy.maxTokenTtl()));
  }

  /**
   * The earliest instant a new key may activate without the key set publishing more than
   * {@link RotationPolicy#MAX_KEYS} keys: at the activation the set holds the new signer, a new
   * next key, the signer that retires then and the retired keys not yet removed, so at most
   * {@code MAX_KEYS - 3} of the already retired keys may still be public.
   */
  static Instant keyCountGate(KeySet set, Instant now) {
    Optional<ManagedKey> signer = set.signerAt(now);
    List<Instant> removals = set.keys().stream()
        .filter(k -> !k.isRevoked() && !k.activateAt().isAfter(now))
        .filter(k -> signer.isEmpty() || !signer.get().kid().equals(k.kid()))
        .map(ManagedKey::removeAt)
        .filter(r -> r != null && r.isAfter(now))
        .sorted(Comparator.reverseOrder())
        .toList();
    int allowed = RotationPolicy.MAX_KEYS - 3;
    return removals.size() > allowed ? removals.get(allowed) : now;
  }

  /**
   * Each key retires when its successor activates and stays public for its retention after that:
   * {@code removeAt = retireAt + maxTokenTtl(key) + K}. A retireAt or removeAt that has passed is
   * final (revoking a later key never moves it); a future removeAt only ever moves later.
   */
  private static void setRetirements(List<ManagedKey> keys, RotationPolicy policy, Instant now) {
    List<ManagedKey> live = keys.stream()
        .filter(k -> !k.isRevoked())
        .sorted(Comparator.comparing(ManagedKey::activateAt).thenComparing(ManagedKey::kid))
        .toList();
    for (int i = 0; i < live.size(); i++) {
      ManagedKey k = live.get(i);
      boolean retired = k.retireAt() != null && !k.retireAt().isAfter(now);
      if (retired) {
        continue; // final: it no longer signs anywhere and its removeAt was fixed when it retired
      }
      ManagedKey updated;
      if (i == live.size() - 1) {
        updated = k.withRetirement(null, null);
      } else {
        Instant retireAt = live.get(i + 1).activateAt();
        Duration ttl = k.maxTokenTtl() != null ? k.maxTokenTtl() : policy.maxTokenTtl();
        Instant removeAt = retireAt.plus(ttl).plus(policy.clockSkew());
        if (k.removeAt() != null && k.removeAt().isAfter(removeAt)) {
          removeAt = k.removeAt();
        }
        updated = k.withRetirement(retireAt, removeAt);
      }
      keys.set(indexOf(keys, k.kid()), updated);
    }
  }

  /** Drops keys past their removeAt and keeps at most MAX_KEYS tombstones, newest first. */
  private static void prune(List<ManagedKey> keys, Instant now) {
    keys.removeIf(k -> k.removeAt() != null && !now.isBefore(k.removeAt()));
    List<ManagedKey> tombstones = keys.stream()
        .filter(ManagedKey::isRevoked)
        .sorted(Comparator.comparing(ManagedKey::revokedAt).reversed())
        .toList();
    for (int i = RotationPolicy.MAX_KEYS; i < tombstones.size(); i++) {
      keys.remove(tombstones.get(i));
    }
  }

  /** The planner never plans what the issuers' reader would refuse. */
  private static void checkReadable(KeySet desired) {
    String json = KeySetJson.write(desired);
    if (json.length() > KeySetJson.MAX_DOCUMENT_BYTES) {
      throw new PlanRefusedException(
          "the planned key set is " + json.length() + " bytes, over the limit of "
              + KeySetJson.MAX_DOCUMENT_BYTES);
    }
    try {
      KeySetJson.parse(json);
    } catch (InvalidKeySetException e) {
      throw new PlanRefusedException(
          "the planned key set would be refused by its reader: " + e.getMessage());
    }
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
