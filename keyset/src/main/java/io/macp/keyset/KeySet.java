package io.macp.keyset;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable key set and the two questions every issuer replica answers from it by the clock
 * alone: which key signs at t, and which keys are public at t. Both the operator and the issuer
 * call these, so every replica switches signer at the same instant without a restart.
 */
public final class KeySet {
  public static final int FORMAT_VERSION = 1;

  private static final Comparator<ManagedKey> BY_ACTIVATION =
      Comparator.comparing(ManagedKey::activateAt).thenComparing(ManagedKey::kid);

  private final List<ManagedKey> keys;
  private final IssuerSettings settings;

  public KeySet(List<ManagedKey> keys) {
    this(keys, null);
  }

  /** @param settings the issuer settings the document carries, or null for none */
  public KeySet(List<ManagedKey> keys, IssuerSettings settings) {
    List<ManagedKey> sorted = new ArrayList<>(keys);
    sorted.sort(BY_ACTIVATION);
    this.keys = List.copyOf(sorted);
    this.settings = settings;
  }

  public static KeySet empty() {
    return new KeySet(List.of());
  }

  /** Keys ordered by activation time. */
  public List<ManagedKey> keys() {
    return keys;
  }

  /**
   * The issuer settings written with the keys (operator-managed documents), or empty: the issuer
   * then uses its own configuration.
   */
  public Optional<IssuerSettings> settings() {
    return Optional.ofNullable(settings);
  }

  /** The same keys with other settings (null: none). */
  public KeySet withSettings(IssuerSettings newSettings) {
    return new KeySet(keys, newSettings);
  }

  public Optional<ManagedKey> find(String kid) {
    return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
  }

  /** The signer at t: the non-revoked key with the latest activateAt that is not after t. */
  public Optional<ManagedKey> signerAt(Instant t) {
    ManagedKey signer = null;
    for (ManagedKey k : keys) {
      if (!k.isRevoked() && k.hasPrivateKey() && !k.activateAt().isAfter(t)) {
        signer = k;
      }
    }
    return Optional.ofNullable(signer);
  }

  /** The key that signs next after t: the non-revoked key with the earliest activateAt after t. */
  public Optional<ManagedKey> nextToActivateAfter(Instant t) {
    for (ManagedKey k : keys) {
      if (!k.isRevoked() && k.activateAt().isAfter(t)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * The keys in the JWKS at t: every non-revoked key before its removeAt, and always the signer,
   * even in a key set that nobody pruned for many periods.
   */
  public List<ManagedKey> publishedAt(Instant t) {
    Optional<ManagedKey> signer = signerAt(t);
    List<ManagedKey> out = new ArrayList<>();
    for (ManagedKey k : keys) {
      if (k.publishedAt(t) || (signer.isPresent() && signer.get() == k)) {
        out.add(k);
      }
    }
    return out;
  }

  public KeyPhase phaseAt(ManagedKey key, Instant t) {
    if (key.isRevoked()) {
      return KeyPhase.Revoked;
    }
    if (key.activateAt().isAfter(t)) {
      return KeyPhase.Published;
    }
    Optional<ManagedKey> signer = signerAt(t);
    if (signer.isPresent() && signer.get().kid().equals(key.kid())) {
      return KeyPhase.Active;
    }
    return key.publishedAt(t) ? KeyPhase.Retired : KeyPhase.Expired;
  }

  /** The first instant after t at which the signer or the published set may change. */
  public Optional<Instant> nextChangeAfter(Instant t) {
    Instant next = null;
    for (ManagedKey k : keys) {
      next = earliestAfter(t, next, k.activateAt());
      next = earliestAfter(t, next, k.removeAt());
    }
    return Optional.ofNullable(next);
  }

  /** The public JWK set at t as a JSON object: never any private member. */
  public Map<String, Object> jwksAt(Instant t) {
    List<Object> jwks = new ArrayList<>();
    for (ManagedKey k : publishedAt(t)) {
      JWK pub = k.publicJwk();
      jwks.add(pub.toJSONObject());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("keys", jwks);
    return out;
  }

  public String jwksJsonAt(Instant t) {
    return JSONObjectUtils.toJSONString(jwksAt(t));
  }

  private static Instant earliestAfter(Instant t, Instant current, Instant candidate) {
    if (candidate == null || !candidate.isAfter(t)) {
      return current;
    }
    return current == null || candidate.isBefore(current) ? candidate : current;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeySet other && keys.equals(other.keys)
        && Objects.equals(settings, other.settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keys, settings);
  }

  @Override
  public String toString() {
    return "KeySet" + keys + (settings == null ? "" : settings);
  }
}
