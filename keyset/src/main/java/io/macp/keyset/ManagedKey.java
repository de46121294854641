package io.macp.keyset;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One key of a key set with its absolute timeline. The JWK is private while the key can still
 * sign; a revoked key keeps only its public part (its private part is deleted at revocation).
 *
 * @param jwk the JWK, with {@code kid}, {@code alg} and {@code use=sig} set
 * @param createdAt when the key was created and first published
 * @param activateAt from when it may sign (it signs while it is the newest key past activateAt)
 * @param retireAt when its successor activates, once known
 * @param removeAt when it leaves the JWKS (retireAt + retention), once known
 * @param revokedAt when it was revoked, if it was
 * @param maxTokenTtl the longest token lifetime this key may sign, once known; it never decreases
 *     (see docs/rotation.md, "Spec changes"), and issuers clamp asked TTLs to it
 */
public record ManagedKey(
    JWK jwk,
    Instant createdAt,
    Instant activateAt,
    Instant retireAt,
    Instant removeAt,
    Instant revokedAt,
    Duration maxTokenTtl) {

  public ManagedKey {
    Objects.requireNonNull(jwk, "jwk");
    Objects.requireNonNull(jwk.getKeyID(), "kid");
    createdAt = millis(Objects.requireNonNull(createdAt, "createdAt"));
    activateAt = millis(Objects.requireNonNull(activateAt, "activateAt"));
    retireAt = millis(retireAt);
    removeAt = millis(removeAt);
    revokedAt = millis(revokedAt);
    if (maxTokenTtl != null && (maxTokenTtl.isNegative() || maxTokenTtl.isZero())) {
      throw new IllegalArgumentException("maxTokenTtl must be positive");
    }
    maxTokenTtl = maxTokenTtl == null ? null : Duration.ofMillis(maxTokenTtl.toMillis());
  }

  /** A key without a recorded maximum token TTL (documents written before it existed). */
  public ManagedKey(
      JWK jwk, Instant createdAt, Instant activateAt, Instant retireAt, Instant removeAt,
      Instant revokedAt) {
    this(jwk, createdAt, activateAt, retireAt, removeAt, revokedAt, null);
  }

  public static ManagedKey created(JWK jwk, Instant createdAt, Instant activateAt) {
    return new ManagedKey(jwk, createdAt, activateAt, null, null, null, null);
  }

  public static ManagedKey created(JWK jwk, Instant createdAt, Instant activateAt, Duration maxTtl) {
    return new ManagedKey(jwk, createdAt, activateAt, null, null, null, maxTtl);
  }

  public String kid() {
    return jwk.getKeyID();
  }

  public SigningAlgorithm algorithm() {
    return SigningAlgorithm.parse(jwk.getAlgorithm().getName());
  }

  /** The kind of key, to compare with the kind the policy asks for. */
  public KeySpec spec() {
    return jwk instanceof RSAKey rsa
        ? new KeySpec(SigningAlgorithm.RS256, Jwks.rsaModulusBits(rsa))
        : KeySpec.es256();
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }

  public boolean hasPrivateKey() {
    return jwk.isPrivate();
  }

  /** Whether the key is in the JWKS at t on its own account (the signer is always published too). */
  public boolean publishedAt(Instant t) {
    return !isRevoked() && (removeAt == null || t.isBefore(removeAt));
  }

  /** The public JWK: what a JWKS may carry. */
  public JWK publicJwk() {
    return jwk.toPublicJWK();
  }

  public ManagedKey withActivateAt(Instant t) {
    return new ManagedKey(jwk, createdAt, t, retireAt, removeAt, revokedAt, maxTokenTtl);
  }

  public ManagedKey withRetirement(Instant retire, Instant remove) {
    return new ManagedKey(jwk, createdAt, activateAt, retire, remove, revokedAt, maxTokenTtl);
  }

  public ManagedKey withMaxTokenTtl(Duration ttl) {
    return new ManagedKey(jwk, createdAt, activateAt, retireAt, removeAt, revokedAt, ttl);
  }

  /** Revocation deletes the private part: a revoked key can never sign again, anywhere. */
  public ManagedKey revoked(Instant at, Instant pruneAt) {
    return new ManagedKey(
        jwk.toPublicJWK(), createdAt, activateAt, retireAt, pruneAt, at, maxTokenTtl);
  }

  static boolean isSupported(JWK jwk) {
    return jwk instanceof RSAKey || (jwk instanceof ECKey ec && ec.getCurve() == com.nimbusds.jose.jwk.Curve.P_256);
  }

  private static Instant millis(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Never prints key material. */
  @Override
  public String toString() {
    return "ManagedKey[kid=" + kid() + ", createdAt=" + createdAt + ", activateAt=" + activateAt
        + ", retireAt=" + retireAt + ", removeAt=" + removeAt + ", revokedAt=" + revokedAt
        + ", maxTokenTtl=" + maxTokenTtl + "]";
  }
}
