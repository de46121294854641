package io.macp.issuer.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.macp.issuer.TestKeys;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurrentKeySetTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  private final JWK a = TestKeys.es256("a");
  private final JWK b = TestKeys.es256("b");

  /** a signs from T0; b is published from T0 and signs from T0+1h; a leaves at T0+2h. */
  private KeySet rotation() {
    return new KeySet(List.of(
        new ManagedKey(a, T0, T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)), null),
        ManagedKey.created(b, T0, T0.plus(Duration.ofHours(1)))));
  }

  private static List<String> kids(JwksDocument jwks) throws Exception {
    return JWKSet.parse(jwks.json()).getKeys().stream().map(JWK::getKeyID).toList();
  }

  @Test
  void signerSwitchesAtActivateAtByTheClockAlone() {
    CurrentKeySet keys = new CurrentKeySet(rotation());
    assertThat(keys.viewAt(T0).signer().kid()).isEqualTo("a");
    assertThat(keys.viewAt(T0.plus(Duration.ofMinutes(59))).signer().kid()).isEqualTo("a");
    Instant activation = T0.plus(Duration.ofHours(1));
    assertThat(keys.viewAt(activation.minusMillis(1)).signer().kid()).isEqualTo("a");
    assertThat(keys.viewAt(activation).signer().kid()).isEqualTo("b");
  }

  @Test
  void jwksListsPublishedKeysOnlyAndNeverPrivateMembers() throws Exception {
    CurrentKeySet keys = new CurrentKeySet(rotation());
    assertThat(kids(keys.viewAt(T0).jwks())).containsExactly("a", "b");
    assertThat(kids(keys.viewAt(T0.plus(Duration.ofMinutes(90))).jwks())).containsExactly("a", "b");
    assertThat(kids(keys.viewAt(T0.plus(Duration.ofHours(2))).jwks())).containsExactly("b");
    for (String member : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"")) {
      assertThat(keys.viewAt(T0).jwks().json()).doesNotContain(member);
    }
  }

  @Test
  void viewIsCachedUntilTheNextChangeThenRebuilt() {
    CurrentKeySet keys = new CurrentKeySet(rotation());
    KeyView first = keys.viewAt(T0);
    assertThat(first.validUntil()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(keys.viewAt(T0.plus(Duration.ofMinutes(30)))).isSameAs(first);
    KeyView afterActivation = keys.viewAt(T0.plus(Duration.ofHours(1)));
    assertThat(afterActivation).isNotSameAs(first);
    assertThat(afterActivation.validUntil()).isEqualTo(T0.plus(Duration.ofHours(2)));
    // Same published keys: the serialized JWKS (and its ETag) is reused, not rebuilt.
    assertThat(afterActivation.jwks()).isSameAs(first.jwks());
    assertThat(keys.viewAt(T0.plus(Duration.ofHours(2))).jwks().etag())
        .isNotEqualTo(first.jwks().etag());
  }

  @Test
  void signersArePreparedOnceAndReusedAcrossKeySets() {
    CurrentKeySet keys = new CurrentKeySet(rotation());
    PreparedSigner before = keys.viewAt(T0).signer();
    keys.accepted(rotation());
    assertThat(keys.viewAt(T0).signer()).isSameAs(before);
    keys.accepted(new KeySet(List.of(ManagedKey.created(a, T0, T0))));
    assertThat(keys.viewAt(T0).signer().jwsSigner()).isSameAs(before.jwsSigner());
  }

  /**
   * A policy change raises the maxTokenTtl of the keys that may still sign, in a reloaded key set
   * with the same key material: mints must clamp to the new record, not the one the signer was
   * first prepared from (pods are no longer restarted by a maxTtl change).
   */
  @Test
  void aReloadedRecordOfTheSameKeyBringsItsNewMaxTokenTtl() {
    CurrentKeySet keys = new CurrentKeySet(
        new KeySet(List.of(ManagedKey.created(a, T0, T0, Duration.ofMinutes(5)))));
    assertThat(keys.viewAt(T0).signer().maxTokenTtlSeconds()).isEqualTo(300);
    keys.accepted(new KeySet(List.of(ManagedKey.created(a, T0, T0, Duration.ofHours(1)))));
    assertThat(keys.viewAt(T0).signer().maxTokenTtlSeconds()).isEqualTo(3600);
  }

  @Test
  void aNewKeySetTakesEffectForTheNextRequest() {
    CurrentKeySet keys = new CurrentKeySet(rotation());
    KeyView old = keys.viewAt(T0);
    JWK c = TestKeys.es256("c");
    keys.accepted(TestKeys.single(c));
    KeyView fresh = keys.viewAt(T0);
    assertThat(fresh).isNotSameAs(old);
    assertThat(fresh.signer().kid()).isEqualTo("c");
    assertThat(fresh.publishedKids()).containsExactly("c");
  }

  @Test
  void rejectedUpdateKeepsTheLastGoodKeySet() {
    CurrentKeySet keys = new CurrentKeySet(rotation());
    keys.rejected("key set is not a JSON object");
    assertThat(keys.keySet()).isEqualTo(rotation());
    assertThat(keys.lastRejection()).isEqualTo("key set is not a JSON object");
    assertThat(keys.viewAt(T0).signer().kid()).isEqualTo("a");
  }

  @Test
  void noSignerBeforeTheFirstActivation() {
    CurrentKeySet keys = new CurrentKeySet(
        new KeySet(List.of(ManagedKey.created(a, T0, T0.plus(Duration.ofMinutes(5))))));
    KeyView before = keys.viewAt(T0);
    assertThat(before.signer()).isNull();
    assertThat(before.publishedKids()).containsExactly("a");
    assertThat(before.nextActivationAfter(T0)).contains(T0.plus(Duration.ofMinutes(5)));
    assertThat(keys.viewAt(T0.plus(Duration.ofMinutes(5))).signer().kid()).isEqualTo("a");
  }

  @Test
  void revokedKeyNeverSignsAndIsNotPublished() {
    ManagedKey revoked = ManagedKey.created(a, T0, T0).revoked(T0.plusSeconds(10), null);
    CurrentKeySet keys = new CurrentKeySet(new KeySet(List.of(revoked,
        ManagedKey.created(b, T0, T0.plusSeconds(5)))));
    KeyView view = keys.viewAt(T0.plusSeconds(20));
    assertThat(view.signer().kid()).isEqualTo("b");
    assertThat(view.publishedKids()).containsExactly("b");
  }

  @Test
  void aClockThatGoesBackGetsACorrectAnswerWithoutLosingTheNewerView() {
    CurrentKeySet keys = new CurrentKeySet(rotation());
    KeyView later = keys.viewAt(T0.plus(Duration.ofMinutes(70)));
    KeyView earlier = keys.viewAt(T0.plus(Duration.ofMinutes(10)));
    assertThat(earlier.signer().kid()).isEqualTo("a");
    assertThat(keys.viewAt(T0.plus(Duration.ofMinutes(71)))).isSameAs(later);
  }
}
