package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeySetJsonTest {
  static final JWK RSA = KeyGenerator.secure().generate(KeySpec.rs256());
  static final JWK EC = KeyGenerator.secure().generate(KeySpec.es256());
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void roundTripsEveryFieldAndBothAlgorithms() throws Exception {
    KeySet set =
        new KeySet(
            List.of(
                new ManagedKey(RSA, T0, T0, T0.plusSeconds(60), T0.plusSeconds(120), null),
                new ManagedKey(EC, T0.plusSeconds(1), T0.plusSeconds(60), null, null, null)));
    KeySet back = KeySetJson.parse(KeySetJson.write(set));
    assertThat(back).isEqualTo(set);
    assertThat(back.keys().get(0).jwk()).isInstanceOf(RSAKey.class);
    assertThat(back.keys().get(1).jwk()).isInstanceOf(ECKey.class);
    assertThat(back.keys().get(0).hasPrivateKey()).isTrue();
  }

  static final IssuerSettings SETTINGS =
      new IssuerSettings(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofSeconds(30));

  @Test
  void issuerSettingsRoundTripAsTokensAndJwksCacheTtl() throws Exception {
    KeySet set = new KeySet(List.of(ManagedKey.created(EC, T0, T0)), SETTINGS);
    String json = KeySetJson.write(set);
    Map<String, Object> doc = JSONObjectUtils.parse(json);
    assertThat(doc.get("tokens")).isEqualTo(Map.of("defaultTtl", "5m", "maxTtl", "1h"));
    assertThat(doc.get("jwksCacheTtl")).isEqualTo("30s");
    KeySet back = KeySetJson.parse(json);
    assertThat(back).isEqualTo(set);
    assertThat(back.settings()).contains(SETTINGS);
    // the same keys without settings are another document: a settings change is a write
    assertThat(back).isNotEqualTo(set.withSettings(null));
  }

  @Test
  void aDocumentWithoutSettingsStillParses() throws Exception {
    KeySet back =
        KeySetJson.parse(KeySetJson.write(new KeySet(List.of(ManagedKey.created(EC, T0, T0)))));
    assertThat(back.settings()).isEmpty();
    assertThat(KeySetJson.write(back)).doesNotContain("tokens").doesNotContain("jwksCacheTtl");
  }

  @Test
  void invalidSettingsAreRefused() {
    String good = KeySetJson.write(new KeySet(List.of(ManagedKey.created(RSA, T0, T0)), SETTINGS));
    assertRefused(good.replace(",\"jwksCacheTtl\":\"30s\"", ""), "tokens without jwksCacheTtl");
    assertRefused(good.replace("\"tokens\":{\"defaultTtl\":\"5m\",\"maxTtl\":\"1h\"},", ""),
        "jwksCacheTtl without tokens");
    assertRefused(good.replace("\"defaultTtl\":\"5m\"", "\"defaultTtl\":\"2h\""),
        "tokens.defaultTtl 2h must not exceed tokens.maxTtl 1h");
    assertRefused(good.replace("\"maxTtl\":\"1h\"", "\"maxTtl\":3600"),
        "tokens.maxTtl must be a duration");
    assertRefused(good.replace("\"maxTtl\":\"1h\"", "\"maxTtl\":\"0s\""),
        "tokens.maxTtl must be at least 1s");
    assertRefused(good.replace("\"jwksCacheTtl\":\"30s\"", "\"jwksCacheTtl\":\"soon\""),
        "jwksCacheTtl");
    assertRefused(good.replace("\"tokens\":{", "\"tokens\":[{").replace("\"1h\"}", "\"1h\"}]"),
        "'tokens' is not an object");
  }

  @Test
  void kidIsTheRfc7638Thumbprint() throws Exception {
    assertThat(RSA.getKeyID()).isEqualTo(RSA.computeThumbprint().toString());
    assertThat(EC.getKeyID()).isEqualTo(EC.computeThumbprint().toString());
    assertThat(RSA.getAlgorithm().getName()).isEqualTo("RS256");
    assertThat(((RSAKey) RSA).size()).isEqualTo(2048);
    assertThat(EC.getAlgorithm().getName()).isEqualTo("ES256");
  }

  @Test
  void documentShape() throws Exception {
    String json = KeySetJson.write(new KeySet(List.of(ManagedKey.created(EC, T0, T0))));
    Map<String, Object> doc = JSONObjectUtils.parse(json);
    assertThat(doc.get("version")).isEqualTo(1L);
    @SuppressWarnings("unchecked")
    Map<String, Object> key = (Map<String, Object>) ((List<?>) doc.get("keys")).get(0);
    assertThat(key).containsKeys("kid", "createdAt", "activateAt", "jwk");
    assertThat(key).doesNotContainKeys("retireAt", "removeAt", "revokedAt");
    assertThat(key.get("createdAt")).isEqualTo("2026-11-23T12:00:00Z");
  }

  @Test
  void invalidDocumentsAreRefusedWithoutQuotingKeyMaterial() {
    String good = KeySetJson.write(new KeySet(List.of(ManagedKey.created(RSA, T0, T0))));
    String d = ((RSAKey) RSA).getPrivateExponent().toString();
    assertRefused("", "empty");
    assertRefused("{not json " + d, "not a JSON object");
    assertRefused("[]", "not a JSON object");
    assertRefused("{\"version\":2,\"keys\":[]}", "version must be 1");
    assertRefused("{\"version\":1}", "no 'keys' array");
    assertRefused("{\"version\":1,\"keys\":[1]}", "keys[0] is not an object");
    assertRefused(good.replace("\"activateAt\"", "\"activateAtX\""), "keys[0] has no activateAt");
    assertRefused(good.replace("2026-11-23T12:00:00Z", "yesterday"), "not an RFC 3339 timestamp");
    assertRefused(good.replace("\"kid\":\"" + RSA.getKeyID() + "\",\"created", "\"kid\":\"other\",\"created"),
        "kid does not match");
    assertRefused(good.replace("\"RS256\"", "\"RS512\""), "unsupported signing algorithm 'RS512'");
    assertRefused(good.replace("\"RS256\"", "\"ES256\""), "alg ES256 does not match the key type");
    String publicOnly =
        KeySetJson.write(new KeySet(List.of(ManagedKey.created(RSA.toPublicJWK(), T0, T0))));
    assertRefused(publicOnly, "has no private key");
    String dup = good.replace("]}", "," + good.substring(good.indexOf('[') + 1, good.lastIndexOf(']')) + "]}");
    assertRefused(dup, "appears twice");
    String early =
        KeySetJson.write(new KeySet(List.of(ManagedKey.created(EC, T0, T0.minusSeconds(1)))));
    assertRefused(early, "activates before it is created");
  }

  @Test
  void aRevokedKeyMayBePublicOnly() throws Exception {
    ManagedKey revoked =
        ManagedKey.created(EC, T0, T0).revoked(T0.plusSeconds(5), T0.plusSeconds(100));
    assertThat(revoked.hasPrivateKey()).isFalse();
    KeySet back = KeySetJson.parse(KeySetJson.write(new KeySet(List.of(revoked))));
    assertThat(back.keys().get(0).isRevoked()).isTrue();
    assertThat(KeySetJson.write(back)).doesNotContain("\"d\"");
  }

  /**
   * Regression: the planner once wrote revoked active keys with removeAt (now + R) before their
   * old retireAt; such a stored key set must load, so operators and pods recover it, while a live
   * key removed before it retires stays refused.
   */
  @Test
  void aRevokedKeyRemovedBeforeItsOldRetirementLoadsButALiveOneDoesNot() throws Exception {
    ManagedKey revokedEarly = new ManagedKey(EC.toPublicJWK(), T0, T0, T0.plusSeconds(86_400),
        T0.plusSeconds(3_660), T0.plusSeconds(30));
    ManagedKey signer = ManagedKey.created(RSA, T0, T0.plusSeconds(30));
    KeySet back = KeySetJson.parse(KeySetJson.write(new KeySet(List.of(revokedEarly, signer))));
    assertThat(back.publishedAt(T0.plusSeconds(60))).extracting(ManagedKey::kid)
        .containsExactly(RSA.getKeyID());
    String live = KeySetJson.write(new KeySet(List.of(new ManagedKey(EC, T0, T0,
        T0.plusSeconds(86_400), T0.plusSeconds(3_660), null))));
    assertRefused(live, "is removed before it retires");
  }

  @Test
  void toStringNeverShowsKeyMaterial() {
    ManagedKey k = ManagedKey.created(RSA, T0, T0);
    String d = ((RSAKey) RSA).getPrivateExponent().toString();
    assertThat(k.toString()).doesNotContain(d).contains(RSA.getKeyID());
    assertThat(new KeySet(List.of(k)).toString()).doesNotContain(d);
  }

  private static void assertRefused(String json, String message) {
    String d = ((RSAKey) RSA).getPrivateExponent().toString();
    assertThatThrownBy(() -> KeySetJson.parse(json))
        .isInstanceOf(InvalidKeySetException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(d));
  }
}
