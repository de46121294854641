package io.macp.keyset;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key-set document: {@code {"version":1,"keys":[{"kid","createdAt","activateAt","retireAt",
 * "removeAt","revokedAt","maxTokenTtl","jwk"}],"tokens":{"defaultTtl","maxTtl"},"jwksCacheTtl"}},
 * timestamps in RFC 3339 UTC, durations as {@link Durations} writes them. It is the only format
 * keys are stored in (the Secret's {@code keyset.json}, the standalone issuer's file).
 *
 * <p>{@code tokens} and {@code jwksCacheTtl} are the optional {@link IssuerSettings}: both or
 * neither. The operator writes them so a change never touches the pod template; a document
 * without them (older operators, the standalone issuer) still parses.
 */
public final class KeySetJson {
  /** The data key of the key Secret and the file name issuers read. */
  public static final String FILE_NAME = "keyset.json";

  /**
   * The largest document the planner writes: half the 1 MiB limit of a Secret's data, leaving
   * room for the other entries. {@link RotationPolicy#MAX_KEYS} keeps real documents far below.
   */
  public static final int MAX_DOCUMENT_BYTES = 512 * 1024;

  private KeySetJson() {}

  public static String write(KeySet set) {
    List<Object> keys = new ArrayList<>();
    for (ManagedKey k : set.keys()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("kid", k.kid());
      entry.put("createdAt", k.createdAt().toString());
      entry.put("activateAt", k.activateAt().toString());
      putTime(entry, "retireAt", k.retireAt());
      putTime(entry, "removeAt", k.removeAt());
      putTime(entry, "revokedAt", k.revokedAt());
      if (k.maxTokenTtl() != null) {
        entry.put("maxTokenTtl", Durations.format(k.maxTokenTtl()));
      }
      entry.put("jwk", k.jwk().toJSONObject());
      keys.add(entry);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", KeySet.FORMAT_VERSION);
    doc.put("keys", keys);
    set.settings().ifPresent(settings -> {
      Map<String, Object> tokens = new LinkedHashMap<>();
      tokens.put("defaultTtl", Durations.format(settings.defaultTokenTtl()));
      tokens.put("maxTtl", Durations.format(settings.maxTokenTtl()));
      doc.put("tokens", tokens);
      doc.put("jwksCacheTtl", Durations.format(settings.jwksCacheTtl()));
    });
    return JSONObjectUtils.toJSONString(doc);
  }

  public static KeySet parse(byte[] bytes) throws InvalidKeySetException {
    return parse(new String(bytes, StandardCharsets.UTF_8));
  }

  /** Parses and validates a whole document; any defect rejects all of it. */
  public static KeySet parse(String json) throws InvalidKeySetException {
    if (json == null || json.isBlank()) {
      throw new InvalidKeySetException("key set is empty");
    }
    if (!json.strip().startsWith("{")) {
      throw new InvalidKeySetException("key set is not a JSON object");
    }
    Map<String, Object> doc;
    try {
      doc = JSONObjectUtils.parse(json);
    } catch (ParseException e) {
      // The parser's message can quote the input, which holds private keys: never pass it on.
      throw new InvalidKeySetException("key set is not a JSON object");
    }
    Object version = doc.get("version");
    if (!(version instanceof Number n) || n.intValue() != KeySet.FORMAT_VERSION) {
      throw new InvalidKeySetException(
          "key set version must be " + KeySet.FORMAT_VERSION + " (got " + safe(version) + ")");
    }
    if (!(doc.get("keys") instanceof List<?> entries)) {
      throw new InvalidKeySetException("key set has no 'keys' array");
    }
    List<ManagedKey> keys = new ArrayList<>();
    Set<String> kids = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.get(i) instanceof Map<?, ?> raw)) {
        throw new InvalidKeySetException("keys[" + i + "] is not an object");
      }
      ManagedKey key = parseKey(raw, i);
      if (!kids.add(key.kid())) {
        throw new InvalidKeySetException("kid '" + key.kid() + "' appears twice");
      }
      keys.add(key);
    }
    return new KeySet(keys, settings(doc));
  }

  private static IssuerSettings settings(Map<String, Object> doc) throws InvalidKeySetException {
    Object tokens = doc.get("tokens");
    Object cacheTtl = doc.get("jwksCacheTtl");
    if (tokens == null && cacheTtl == null) {
      return null;
    }
    if (tokens == null || cacheTtl == null) {
      throw new InvalidKeySetException("key set has " + (tokens == null ? "jwksCacheTtl" : "tokens")
          + " without " + (tokens == null ? "tokens" : "jwksCacheTtl") + ": both or neither");
    }
    if (!(tokens instanceof Map<?, ?> t)) {
      throw new InvalidKeySetException("key set 'tokens' is not an object");
    }
    try {
      return new IssuerSettings(
          duration(t.get("defaultTtl"), "tokens.defaultTtl"),
          duration(t.get("maxTtl"), "tokens.maxTtl"),
          duration(cacheTtl, "jwksCacheTtl"));
    } catch (IllegalArgumentException e) {
      throw new InvalidKeySetException("key set " + e.getMessage());
    }
  }

  private static Duration duration(Object v, String field) throws InvalidKeySetException {
    if (!(v instanceof String s)) {
      throw new InvalidKeySetException("key set " + field + " must be a duration such as 5m");
    }
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeySetException("key set " + field + ": " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static ManagedKey parseKey(Map<?, ?> raw, int i) throws InvalidKeySetException {
    String where = "keys[" + i + "]";
    if (!(raw.get("jwk") instanceof Map<?, ?> jwkJson)) {
      throw new InvalidKeySetException(where + " has no 'jwk' object");
    }
    JWK jwk;
    try {
      jwk = JWK.parse((Map<String, Object>) jwkJson);
    } catch (ParseException | RuntimeException e) {
      throw new InvalidKeySetException(where + ".jwk is not a valid JWK");
    }
    if (!ManagedKey.isSupported(jwk)) {
      throw new InvalidKeySetException(where + ".jwk must be an RSA key or an EC key on P-256");
    }
    String kid = jwk.getKeyID();
    if (kid == null || kid.isBlank()) {
      throw new InvalidKeySetException(where + ".jwk has no kid");
    }
    if (raw.get("kid") != null && !kid.equals(raw.get("kid"))) {
      throw new InvalidKeySetException(where + ": kid does not match the kid of its jwk");
    }
    if (jwk.getAlgorithm() == null) {
      throw new InvalidKeySetException(where + ".jwk has no alg");
    }
    SigningAlgorithm alg;
    try {
      alg = SigningAlgorithm.parse(jwk.getAlgorithm().getName());
    } catch (IllegalArgumentException e) {
      throw new InvalidKeySetException(where + ": " + e.getMessage());
    }
    if ((alg == SigningAlgorithm.RS256) != (jwk instanceof RSAKey)) {
      throw new InvalidKeySetException(where + ": alg " + alg + " does not match the key type");
    }
    if (jwk instanceof RSAKey rsa && !KeySpec.RSA_SIZES.contains(Jwks.rsaModulusBits(rsa))) {
      throw new InvalidKeySetException(
          where + ": RSA key size " + Jwks.rsaModulusBits(rsa) + " is not allowed");
    }
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      throw new InvalidKeySetException(where + ": key use must be sig");
    }
    Instant created = time(raw, "createdAt", where, true);
    Instant activate = time(raw, "activateAt", where, true);
    Instant retire = time(raw, "retireAt", where, false);
    Instant remove = time(raw, "removeAt", where, false);
    Instant revoked = time(raw, "revokedAt", where, false);
    Duration maxTtl = null;
    if (raw.get("maxTokenTtl") != null) {
      try {
        maxTtl = Durations.parse(String.valueOf(raw.get("maxTokenTtl")));
      } catch (IllegalArgumentException e) {
        throw new InvalidKeySetException(where + ".maxTokenTtl: " + e.getMessage());
      }
      if (maxTtl.isZero()) {
        throw new InvalidKeySetException(where + ".maxTokenTtl must be positive");
      }
    }
    if (revoked != null && jwk.isPrivate()) {
      throw new InvalidKeySetException(where + " (" + kid + ") is revoked but keeps its private key");
    }
    if (revoked == null && !jwk.isPrivate()) {
      throw new InvalidKeySetException(where + " (" + kid + ") has no private key");
    }
    if (activate.isBefore(created)) {
      throw new InvalidKeySetException(where + " (" + kid + ") activates before it is created");
    }
    // A revoked key is gone whatever its retirement said (operators before the revocation fix
    // wrote revoked signers with removeAt = revocation + R, before their announced retireAt; such
    // Secrets must still load), so the order only matters for live keys.
    if (revoked == null && retire != null && remove != null && remove.isBefore(retire)) {
      throw new InvalidKeySetException(where + " (" + kid + ") is removed before it retires");
    }
    if (!(jwk instanceof RSAKey) && !(jwk instanceof ECKey)) {
      throw new InvalidKeySetException(where + ": unsupported key type");
    }
    return new ManagedKey(
        withSigUse(Jwks.normalized(jwk)), created, activate, retire, remove, revoked, maxTtl);
  }

  private static JWK withSigUse(JWK jwk) {
    if (jwk.getKeyUse() != null) {
      return jwk;
    }
    return jwk instanceof RSAKey rsa
        ? new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).build()
        : new ECKey.Builder((ECKey) jwk).keyUse(KeyUse.SIGNATURE).build();
  }

  private static Instant time(Map<?, ?> raw, String field, String where, boolean required)
      throws InvalidKeySetException {
    Object v = raw.get(field);
    if (v == null) {
      if (required) {
        throw new InvalidKeySetException(where + " has no " + field);
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw new InvalidKeySetException(where + "." + field + " must be an RFC 3339 timestamp");
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new InvalidKeySetException(where + "." + field + " is not an RFC 3339 timestamp");
    }
  }

  private static void putTime(Map<String, Object> entry, String field, Instant t) {
    if (t != null) {
      entry.put(field, t.toString());
    }
  }

  private static String safe(Object v) {
    String s = String.valueOf(v);
    return s.length() > 20 ? s.substring(0, 20) + "…" : s;
  }
}
