package io.macp.keyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The failing inputs of the "zero failed verifications under every action and every spec change"
 * issue, one test each, as reported. Each failed on the code before the fix; the simulation
 * ({@link SystemSimulationTest}) covers their whole kind.
 */
class ZeroFailedVerificationRegressionTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  final KeySetPlanner planner = new KeySetPlanner(KeyGenerator.secure());

  static RotationPolicy policy(double p, double c, double g, double d, double k, double t) {
    return new RotationPolicy(secs(p), secs(c), secs(g), secs(d), secs(k), secs(t));
  }

  /** Input 1: revoking the active key under the default policy wrote an unreadable document. */
  @Test
  void input1RevokingTheActiveKeyUnderTheDefaultPolicyKeepsTheDocumentReadable() throws Exception {
    RotationPolicy p = RotationPolicy.DEFAULTS;
    KeySet s0 = planner.plan(KeySet.empty(), p, KeySpec.es256(), T0, RotationRequests.NONE).desired();
    String active = s0.signerAt(T0).orElseThrow().kid();
    Instant now = T0.plus(Duration.ofMinutes(10));
    KeySet s1 =
        planner.plan(s0, p, KeySpec.es256(), now, RotationRequests.revoke(active)).desired();

    KeySet read = KeySetJson.parse(KeySetJson.write(s1));
    ManagedKey tombstone = read.find(active).orElseThrow();
    assertThat(tombstone.isRevoked()).isTrue();
    // Its announced times stay as they were: retireAt - now > R here, and removeAt >= retireAt.
    ManagedKey before = s0.find(active).orElseThrow();
    assertThat(Duration.between(now, before.retireAt())).isGreaterThan(p.retention());
    assertThat(tombstone.retireAt()).isEqualTo(before.retireAt());
    assertThat(tombstone.removeAt()).isEqualTo(before.removeAt());
    assertThat(read.signerAt(now).orElseThrow().kid()).isNotEqualTo(active);
    assertThat(KeySetTest.kids(read.publishedAt(now))).doesNotContain(active);
  }

  /**
   * Input 2: changing the algorithm 300 ms before the pending key activates withdrew it at once;
   * a replica that had not yet loaded the new document activated it by the clock, and its tokens
   * then failed everywhere.
   */
  @Test
  void input2AnAlgorithmChangeWithinDOfAnActivationKeepsThePendingKey() {
    RotationPolicy p = policy(30, 2, 0, 10, 1, 60);
    KeySet s0 = planner.plan(KeySet.empty(), p, KeySpec.es256(), T0, RotationRequests.NONE).desired();
    ManagedKey pending = s0.nextToActivateAfter(T0).orElseThrow();
    Instant change = pending.activateAt().minusMillis(300);
    KeySet s1 = planner.plan(s0, p, KeySpec.rs256(), change, RotationRequests.NONE).desired();

    // The lagging replica (still on s0) signs with the pending key from its activateAt...
    Instant minted = pending.activateAt();
    assertThat(s0.signerAt(minted).orElseThrow().kid()).isEqualTo(pending.kid());
    // ...so every later document must keep it published until that token expires.
    Instant expiresWithLeeway = minted.plus(p.maxTokenTtl()).plus(p.clockSkew()).minusMillis(1);
    for (double later : new double[] {0, 0.3, 5, 30, 60}) {
      Instant at = change.plusMillis((long) (later * 1000));
      KeySet next = planner.plan(s1, p, KeySpec.rs256(), at, RotationRequests.NONE).desired();
      assertThat(KeySetTest.kids(next.publishedAt(expiresWithLeeway.isBefore(at) ? at
              : expiresWithLeeway)))
          .as("at +%ss", later)
          .contains(pending.kid());
      s1 = next;
    }
    // The new kind follows it on the next scheduled rotation.
    ManagedKey rsa = s1.keys().stream()
        .filter(k -> k.algorithm() == SigningAlgorithm.RS256).findFirst().orElseThrow();
    assertThat(rsa.activateAt()).isAfter(pending.activateAt());
  }

  /**
   * Input 3: lowering tokens.maxTtl before the active key retires cut tokens already issued (and
   * tokens that replicas on the previous pod template still mint).
   */
  @Test
  void input3LoweringTheMaximumTtlNeverCutsTokensAlreadyIssued() {
    RotationPolicy p = policy(30, 5, 0, 2, 1, 20);
    KeySet s0 = planner.plan(KeySet.empty(), p, KeySpec.es256(), T0, RotationRequests.NONE).desired();
    ManagedKey active = s0.signerAt(T0).orElseThrow();
    Instant retire = active.retireAt();
    Instant minted = retire.minusSeconds(3);
    Instant exp = minted.plusSeconds(20);
    RotationPolicy lower = policy(30, 5, 0, 2, 1, 2);
    KeySet s1 =
        planner.plan(s0, lower, KeySpec.es256(), retire.minusSeconds(2), RotationRequests.NONE)
            .desired();
    KeySet s2 = planner.plan(s1, lower, KeySpec.es256(), retire, RotationRequests.NONE).desired();
    Instant lastAccept = exp.plus(p.clockSkew()).minusMillis(1);
    assertThat(KeySetTest.kids(s2.publishedAt(lastAccept))).contains(active.kid());
    assertThat(s2.find(active.kid()).orElseThrow().removeAt()).isAfterOrEqualTo(exp.plusSeconds(1));

    // A replica still on the previous pod template (20s) mints with the next key after the edit:
    // the key's own maximum (which issuers clamp to) still allows 20s, and it is kept that long.
    ManagedKey next = s2.signerAt(retire).orElseThrow();
    assertThat(next.maxTokenTtl()).isEqualTo(Duration.ofSeconds(20));
    KeySet s3 = planner.plan(s2, lower, KeySpec.es256(), next.activateAt().plusSeconds(30),
        RotationRequests.NONE).desired();
    ManagedKey nextRetired = s3.find(next.kid()).orElseThrow();
    assertThat(nextRetired.removeAt())
        .isEqualTo(nextRetired.retireAt().plusSeconds(20).plus(p.clockSkew()));
  }

  /** Input 4: revoking a retired key moved the retirement of the key before it. */
  @Test
  void input4RevokingARetiredKeyNeverMovesTheTimesOfAnotherKey() {
    RotationPolicy p = policy(30, 5, 0, 2, 1, 50);
    KeySet s = planner.plan(KeySet.empty(), p, KeySpec.es256(), T0, RotationRequests.NONE).desired();
    s = planner.plan(s, p, KeySpec.es256(), at(30), RotationRequests.NONE).desired();
    s = planner.plan(s, p, KeySpec.es256(), at(60), RotationRequests.NONE).desired();
    ManagedKey first = s.keys().get(0);
    ManagedKey second = s.keys().get(1);
    assertThat(s.phaseAt(first, at(65))).isEqualTo(KeyPhase.Retired);
    assertThat(s.phaseAt(second, at(65))).isEqualTo(KeyPhase.Retired);

    KeySet after =
        planner.plan(s, p, KeySpec.es256(), at(65), RotationRequests.revoke(second.kid())).desired();
    ManagedKey firstAfter = after.find(first.kid()).orElseThrow();
    assertThat(firstAfter.retireAt()).isEqualTo(first.retireAt());
    assertThat(firstAfter.removeAt()).isEqualTo(first.removeAt());
  }

  /** Input 6: accepted policies let the key set grow past what verifiers and a Secret hold. */
  @Test
  void input6PoliciesWhoseKeySetCouldGrowPastTheBoundAreRefused() {
    // The standalone issuer's case: RSA-4096, period 1s, maxTtl 3600s.
    RotationPolicy standalone = new RotationPolicy(Duration.ofSeconds(1), Duration.ZERO,
        Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(3600));
    assertThat(standalone.problems())
        .singleElement()
        .asString()
        .contains("keeps up to 3602 keys", "more than the limit of 10",
            "make the period at least 7m30s");
    // The operator's case: maxTtl 720h, period 1h8m (the defaults' lead time).
    RotationPolicy operator = new RotationPolicy(Duration.ofMinutes(68), Duration.ofMinutes(5),
        Duration.ofHours(1), Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofHours(720));
    assertThat(operator.problems()).singleElement().asString().contains("more than the limit of 10");
    // At the bound, the largest keys for many periods stay far below the Secret limit.
    RotationPolicy atBound = policy(16, 1, 0, 1, 1, 127);
    assertThat(atBound.maxPublishedKeys()).isEqualTo(RotationPolicy.MAX_KEYS);
    KeySpec rsa4096 = new KeySpec(SigningAlgorithm.RS256, 4096);
    RSAKey material = (RSAKey) KeyGenerator.secure().generate(rsa4096);
    int[] n = {0};
    KeySetPlanner reusing =
        new KeySetPlanner(spec -> new RSAKey.Builder(material).keyID("k" + (++n[0])).build());
    KeySet s = KeySet.empty();
    int maxLength = 0;
    for (int i = 0; i < 40; i++) {
      s = reusing.plan(s, atBound, rsa4096, at(i * 8), RotationRequests.NONE).desired();
      assertThat(s.publishedAt(at(i * 8)).size()).isLessThanOrEqualTo(RotationPolicy.MAX_KEYS);
      maxLength = Math.max(maxLength, KeySetJson.write(s).length());
    }
    assertThat(maxLength).isLessThan(64 * 1024);
  }

  /** Input 7: an RSA-2048 JWK whose n has a leading zero byte was refused as 2056-bit. */
  @Test
  void input7AnRsaJwkWithLeadingZeroBytesIsAcceptedAndNormalized() throws Exception {
    RSAKey key = (RSAKey) KeyGenerator.secure().generate(KeySpec.rs256());
    Map<String, Object> jwk = new LinkedHashMap<>(key.toJSONObject());
    jwk.put("n", withLeadingZero(key.getModulus()));
    jwk.put("e", withLeadingZero(key.getPublicExponent())); // "AAEAAQ"
    jwk.put("d", withLeadingZero(key.getPrivateExponent()));
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("kid", key.getKeyID());
    entry.put("createdAt", T0.toString());
    entry.put("activateAt", T0.toString());
    entry.put("jwk", jwk);
    String doc = JSONObjectUtils.toJSONString(Map.of("version", 1, "keys", List.of(entry)));

    KeySet read = KeySetJson.parse(doc);
    ManagedKey k = read.keys().get(0);
    assertThat(k.spec()).isEqualTo(KeySpec.rs256());
    RSAKey normalized = (RSAKey) k.jwk();
    assertThat(normalized.getModulus()).isEqualTo(key.getModulus());
    assertThat(normalized.getPublicExponent().toString()).isEqualTo("AQAB");
    assertThat(normalized.getPrivateExponent()).isEqualTo(key.getPrivateExponent());
    assertThat(normalized.toRSAPublicKey()).isEqualTo(key.toRSAPublicKey());
    JWK parsedAlone = JWK.parse(JSONObjectUtils.toJSONString(jwk));
    assertThat(Jwks.rsaModulusBits((RSAKey) parsedAlone)).isEqualTo(2048);
    assertThatCode(() -> KeySetJson.parse(KeySetJson.write(read))).doesNotThrowAnyException();
  }

  static String withLeadingZero(Base64URL v) {
    byte[] bytes = v.decode();
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 1, bytes.length);
    return Base64URL.encode(out).toString();
  }

  static Duration secs(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }

  static Instant at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000));
  }
}
