package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeySetTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  static final KeyGenerator GEN = KeyGenerator.secure();

  final JWK a = GEN.generate(KeySpec.es256());
  final JWK b = GEN.generate(KeySpec.es256());
  final JWK c = GEN.generate(KeySpec.rs256());

  /** a active from T0, retired at T0+100 and removed at T0+150; b active from T0+100; c from T0+200. */
  KeySet timeline() {
    return new KeySet(
        List.of(
            new ManagedKey(a, T0, T0, at(100), at(150), null),
            new ManagedKey(b, T0.plusSeconds(10), at(100), at(200), at(250), null),
            ManagedKey.created(c, at(110), at(200))));
  }

  @Test
  void signerSwitchesExactlyAtActivateAt() {
    KeySet s = timeline();
    assertThat(s.signerAt(at(0)).orElseThrow().kid()).isEqualTo(a.getKeyID());
    assertThat(s.signerAt(at(99.999)).orElseThrow().kid()).isEqualTo(a.getKeyID());
    assertThat(s.signerAt(at(100)).orElseThrow().kid()).isEqualTo(b.getKeyID());
    assertThat(s.signerAt(at(200)).orElseThrow().kid()).isEqualTo(c.getKeyID());
    assertThat(s.signerAt(T0.minusMillis(1))).isEmpty();
  }

  @Test
  void publishedUntilJustBeforeRemoveAt() {
    KeySet s = timeline();
    assertThat(kids(s.publishedAt(at(149.999))))
        .containsExactly(a.getKeyID(), b.getKeyID(), c.getKeyID());
    assertThat(kids(s.publishedAt(at(150)))).containsExactly(b.getKeyID(), c.getKeyID());
    assertThat(kids(s.publishedAt(at(250)))).containsExactly(c.getKeyID());
  }

  @Test
  void theSignerIsPublishedEvenInAKeySetNobodyPrunedForMonths() {
    // Two keys, both retired by timestamps, and nobody made a newer one: keep signing, keep publishing.
    KeySet stale =
        new KeySet(
            List.of(
                new ManagedKey(a, T0, T0, at(100), at(150), null),
                new ManagedKey(b, T0, at(100), at(200), at(250), null)));
    Instant months = T0.plusSeconds(90L * 24 * 3600);
    assertThat(stale.signerAt(months).orElseThrow().kid()).isEqualTo(b.getKeyID());
    assertThat(kids(stale.publishedAt(months))).containsExactly(b.getKeyID());
  }

  @Test
  void phases() {
    KeySet s = timeline();
    ManagedKey ka = s.find(a.getKeyID()).orElseThrow();
    ManagedKey kc = s.find(c.getKeyID()).orElseThrow();
    assertThat(s.phaseAt(ka, at(50))).isEqualTo(KeyPhase.Active);
    assertThat(s.phaseAt(ka, at(120))).isEqualTo(KeyPhase.Retired);
    assertThat(s.phaseAt(ka, at(150))).isEqualTo(KeyPhase.Expired);
    assertThat(s.phaseAt(kc, at(120))).isEqualTo(KeyPhase.Published);
    assertThat(s.phaseAt(ka.revoked(at(1), at(2)), at(1))).isEqualTo(KeyPhase.Revoked);
  }

  @Test
  void revokedKeysNeitherSignNorPublish() {
    KeySet s =
        new KeySet(
            List.of(
                ManagedKey.created(a, T0, T0),
                ManagedKey.created(b, T0, at(10)).revoked(at(5), at(100))));
    assertThat(s.signerAt(at(20)).orElseThrow().kid()).isEqualTo(a.getKeyID());
    assertThat(kids(s.publishedAt(at(20)))).containsExactly(a.getKeyID());
  }

  @Test
  void nextChangeIsTheEarliestFutureActivationOrRemoval() {
    KeySet s = timeline();
    assertThat(s.nextChangeAfter(at(0))).contains(at(100));
    assertThat(s.nextChangeAfter(at(100))).contains(at(150));
    assertThat(s.nextChangeAfter(at(200))).contains(at(250));
    assertThat(s.nextChangeAfter(at(250))).isEmpty();
  }

  @Test
  void theNextKeyToActivateIsTheEarliestNonRevokedOneStrictlyAfterT() {
    KeySet s = timeline();
    assertThat(s.nextToActivateAfter(at(0))).map(ManagedKey::kid).contains(b.getKeyID());
    assertThat(s.nextToActivateAfter(at(100))).map(ManagedKey::kid).contains(c.getKeyID());
    assertThat(s.nextToActivateAfter(at(200))).isEmpty();
    KeySet withRevoked =
        new KeySet(
            List.of(
                ManagedKey.created(a, T0, T0),
                ManagedKey.created(b, T0, at(10)).revoked(at(5), at(100)),
                ManagedKey.created(c, T0, at(20))));
    assertThat(withRevoked.nextToActivateAfter(at(1))).map(ManagedKey::kid).contains(c.getKeyID());
  }

  @Test
  void jwksCarriesPublicMembersOnly() throws Exception {
    KeySet s = timeline();
    Map<String, Object> jwks = JSONObjectUtils.parse(s.jwksJsonAt(at(120)));
    List<?> keys = (List<?>) jwks.get("keys");
    assertThat(keys).hasSize(3);
    for (Object o : keys) {
      @SuppressWarnings("unchecked")
      Map<String, Object> k = (Map<String, Object>) o;
      assertThat(k).containsKeys("kty", "kid", "alg", "use").doesNotContainKeys("d", "p", "q", "dp", "dq", "qi");
      assertThat(k.get("use")).isEqualTo("sig");
    }
  }

  static Instant at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000));
  }

  static List<String> kids(List<ManagedKey> keys) {
    return keys.stream().map(ManagedKey::kid).toList();
  }
}
