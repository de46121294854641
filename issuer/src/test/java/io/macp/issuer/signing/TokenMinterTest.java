package io.macp.issuer.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.macp.issuer.TestKeys;
import io.macp.issuer.Tokens;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenMinterTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void claimsAreTheContractsPlusJti() throws Exception {
    CurrentKeySet keys = new CurrentKeySet(TestKeys.single(TestKeys.es256("k")));
    TokenMinter minter = new TokenMinter(keys, "https://issuer.example", "macp-runtime");
    Map<String, Object> scopes = new LinkedHashMap<>();
    scopes.put("can_start_sessions", true);
    scopes.put("allowed_modes", List.of("macp.mode.decision.v1"));
    scopes.put("x_unknown", Map.of("ratio", new BigDecimal("0.50")));
    MintedToken t = minter.mint("agent://risk", scopes, 120, T0.plusMillis(999));

    SignedJWT jwt = Tokens.verify(t.token(), keys.viewAt(T0).jwks().json());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo("k").isEqualTo(t.kid());
    JWTClaimsSet c = jwt.getJWTClaimsSet();
    assertThat(c.getIssuer()).isEqualTo("https://issuer.example");
    assertThat(jwt.getPayload().toJSONObject().get("aud")).isEqualTo("macp-runtime");
    assertThat(c.getSubject()).isEqualTo("agent://risk");
    assertThat(c.getIssueTime().toInstant()).isEqualTo(T0);
    assertThat(c.getExpirationTime().toInstant()).isEqualTo(T0.plusSeconds(120));
    assertThat(c.getJWTID()).isEqualTo(t.jti());
    assertThat(c.getNotBeforeTime()).isNull();
    assertThat(jwt.getPayload().toString()).contains("\"macp_scopes\":{\"can_start_sessions\":true,"
        + "\"allowed_modes\":[\"macp.mode.decision.v1\"],\"x_unknown\":{\"ratio\":0.50}}");
    assertThat(t.expiresAt() - t.issuedAt()).isEqualTo(120);
  }

  /**
   * Issue input 3: a pod still running the previous template (a longer maximum) must not mint
   * tokens longer than the key set keeps the key for; the key's maxTokenTtl clamps them.
   */
  @Test
  void theSignersMaxTokenTtlFromTheKeySetClampsTheTtl() throws Exception {
    ManagedKey key = new ManagedKey(TestKeys.es256("k"), T0, T0, null, null, null,
        Duration.ofSeconds(20));
    CurrentKeySet keys = new CurrentKeySet(new KeySet(List.of(key)));
    TokenMinter minter = new TokenMinter(keys, "i", "a");

    MintedToken t = minter.mint("agent://x", Map.of(), 3600, T0);

    assertThat(t.expiresAt() - t.issuedAt()).isEqualTo(20);
    JWTClaimsSet c = Tokens.verify(t.token(), keys.viewAt(T0).jwks().json()).getJWTClaimsSet();
    assertThat(c.getExpirationTime().toInstant()).isEqualTo(T0.plusSeconds(20));
    assertThat(minter.mint("agent://x", Map.of(), 5, T0).expiresAt() - T0.getEpochSecond())
        .isEqualTo(5);
  }

  @Test
  void everyTokenHasItsOwnJti() throws Exception {
    CurrentKeySet keys = new CurrentKeySet(TestKeys.single(TestKeys.es256("k")));
    TokenMinter minter = new TokenMinter(keys, "i", "a");
    Set<String> jtis = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      jtis.add(minter.mint("s", Map.of(), 60, T0).jti());
    }
    assertThat(jtis).hasSize(200);
  }

  @Test
  void rs256TokensVerify() throws Exception {
    CurrentKeySet keys = new CurrentKeySet(TestKeys.single(TestKeys.rs256("rsa-1")));
    MintedToken t = mint(new TokenMinter(keys, "i", "a"));
    SignedJWT jwt = Tokens.verify(t.token(), keys.viewAt(T0).jwks().json());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
  }

  private static MintedToken mint(TokenMinter minter) {
    try {
      return minter.mint("s", Map.of(), 60, T0);
    } catch (NoSigningKeyException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void noSignerNowIsReportedNotSignedWithAFutureKey() {
    JWK future = TestKeys.es256("future");
    CurrentKeySet keys = new CurrentKeySet(
        new KeySet(List.of(ManagedKey.created(future, T0, T0.plus(Duration.ofHours(1))))));
    TokenMinter minter = new TokenMinter(keys, "i", "a");
    assertThatThrownBy(() -> minter.mint("s", Map.of(), 60, T0))
        .isInstanceOf(NoSigningKeyException.class);
  }

  /**
   * A successor key set arrives while a token is being signed: it still publishes the old signer,
   * so the token (signed by the old signer) verifies against the JWKS served right after.
   */
  @Test
  void tokenSignedDuringASuccessorReloadVerifiesAgainstTheNewJwks() throws Exception {
    JWK a = TestKeys.es256("a");
    JWK b = TestKeys.es256("b");
    KeySet before = new KeySet(List.of(ManagedKey.created(a, T0, T0)));
    // The operator's next plan: b published now, activating later; a still signs.
    KeySet successor = new KeySet(List.of(ManagedKey.created(a, T0, T0),
        ManagedKey.created(b, T0.plusSeconds(30), T0.plus(Duration.ofHours(2)))));
    CurrentKeySet keys = new CurrentKeySet(before);
    AtomicInteger swaps = new AtomicInteger();
    TokenMinter minter = new TokenMinter(keys, "i", "aud", () -> {
      if (swaps.getAndIncrement() == 0) {
        keys.accepted(successor);
      }
    });
    Instant now = T0.plusSeconds(60);
    MintedToken t = minter.mint("s", Map.of(), 60, now);
    assertThat(t.kid()).isEqualTo("a");
    assertThat(swaps.get()).isEqualTo(1);
    Tokens.verify(t.token(), keys.viewAt(now).jwks().json());
  }

  /**
   * The key that signed is revoked while the token is being signed: the token would never
   * verify, so it is signed again with the new key set's signer before it is handed out.
   */
  @Test
  void tokenSignedWithAKeyRevokedMeanwhileIsSignedAgainWithTheNewSigner() throws Exception {
    JWK a = TestKeys.es256("a");
    JWK b = TestKeys.es256("b");
    KeySet before = new KeySet(List.of(ManagedKey.created(a, T0, T0),
        ManagedKey.created(b, T0, T0.plus(Duration.ofHours(2)))));
    Instant now = T0.plusSeconds(60);
    KeySet revokedA = new KeySet(List.of(ManagedKey.created(b, T0, now)));
    CurrentKeySet keys = new CurrentKeySet(before);
    List<String> seen = new ArrayList<>();
    TokenMinter minter = new TokenMinter(keys, "i", "aud", () -> {
      seen.add(keys.keySet() == before ? "before" : "after");
      if (seen.size() == 1) {
        keys.accepted(revokedA);
      }
    });
    MintedToken t = minter.mint("s", Map.of(), 60, now);
    assertThat(seen).containsExactly("before", "after");
    assertThat(t.kid()).isEqualTo("b");
    Tokens.verify(t.token(), keys.viewAt(now).jwks().json());
  }

  @Test
  void aKeySetThatNeverSettlesIsAnErrorNotAnUnverifiableToken() {
    Instant now = T0.plusSeconds(60);
    CurrentKeySet keys = new CurrentKeySet(TestKeys.single(TestKeys.es256("k0")));
    AtomicInteger n = new AtomicInteger();
    TokenMinter minter = new TokenMinter(keys, "i", "aud",
        () -> keys.accepted(TestKeys.single(TestKeys.es256("k" + n.incrementAndGet()))));
    assertThatThrownBy(() -> minter.mint("s", Map.of(), 60, now))
        .isInstanceOf(IllegalStateException.class);
  }
}
