package io.macp.issuer.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import io.macp.keyset.SigningAlgorithm;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnvKeySourceTest {
  private static RSAKey rsa;
  private static ECKey ec;

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).generate();
    ec = new ECKeyGenerator(Curve.P_256).generate();
  }

  @Test
  void keepsTheKidAndFillsInAlgAndUse() throws Exception {
    JWK withKid = new RSAKey.Builder(rsa).keyID("prod-2026-11").build();

    KeySet set;
    try (EnvKeySource source = new EnvKeySource(withKid.toJSONString(), SigningAlgorithm.RS256)) {
      assertThat(source.kind()).isEqualTo("env");
      set = source.initial();
      source.watch(new RecordingListener()); // static: a no-op that must not fail
    }

    assertThat(set.keys()).hasSize(1);
    ManagedKey key = set.keys().get(0);
    assertThat(key.kid()).isEqualTo("prod-2026-11");
    assertThat(key.jwk().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(key.jwk().getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
    assertThat(key.createdAt()).isEqualTo(Instant.EPOCH);
    assertThat(key.activateAt()).isEqualTo(Instant.EPOCH);
    assertThat(key.retireAt()).isNull();
    assertThat(key.removeAt()).isNull();
    assertThat(set.signerAt(Instant.now())).contains(key);
    assertThat(set.jwksJsonAt(Instant.now())).contains("prod-2026-11").doesNotContain("\"d\"");
  }

  @Test
  void aKeyWithoutKidIsNamedKey1() {
    KeySet set = new EnvKeySource(ec.toJSONString(), SigningAlgorithm.ES256).initial();

    ManagedKey key = set.keys().get(0);
    assertThat(key.kid()).isEqualTo("key-1");
    assertThat(key.jwk().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(key.hasPrivateKey()).isTrue();
  }

  @Test
  void aKeyOfTheWrongTypeFailsWithoutShowingTheKey() throws Exception {
    assertRefused(rsa, SigningAlgorithm.ES256, "MACP_AUTH_SIGNING_ALG ES256 needs an EC key on P-256");
    assertRefused(ec, SigningAlgorithm.RS256, "needs an RSA key");
    ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
    assertRefused(p384, SigningAlgorithm.ES256, "an EC key on P-384");
  }

  @Test
  void aDeclaredAlgOtherThanTheConfiguredOneFails() {
    JWK declaresEs384 = new ECKey.Builder(ec).algorithm(JWSAlgorithm.ES384).build();
    assertRefused(declaresEs384, SigningAlgorithm.ES256, "declares alg ES384");
  }

  @Test
  void anEncryptionKeyFails() {
    JWK encryption = new ECKey.Builder(ec).keyUse(KeyUse.ENCRYPTION).build();
    assertRefused(encryption, SigningAlgorithm.ES256, "use \"sig\"");
  }

  @Test
  void aPublicKeyAloneFails() {
    JWK publicOnly = rsa.toPublicJWK();
    assertThatThrownBy(() -> new EnvKeySource(publicOnly.toJSONString(), SigningAlgorithm.RS256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only a public key");
  }

  @Test
  void halvesOfDifferentKeysFail() throws Exception {
    RSAKey other = new RSAKeyGenerator(2048).generate();
    JWK mixed = new RSAKey.Builder(rsa.toRSAPublicKey())
        .privateExponent(other.getPrivateExponent()).build();
    assertRefused(mixed, SigningAlgorithm.RS256, "do not belong together");
  }

  /** Issue input 7: n with one leading zero byte was refused as "a 2056-bit RSA key". */
  @Test
  void anRsa2048KeyWithLeadingZeroBytesIsAcceptedAndNormalized() throws Exception {
    java.util.Map<String, Object> json = new java.util.LinkedHashMap<>(rsa.toJSONObject());
    json.put("n", withLeadingZero(rsa.getModulus()));
    json.put("e", "AAEAAQ");
    String env = com.nimbusds.jose.util.JSONObjectUtils.toJSONString(json);

    KeySet set = new EnvKeySource(env, SigningAlgorithm.RS256).initial();

    RSAKey key = (RSAKey) set.keys().get(0).jwk();
    assertThat(key.getModulus()).isEqualTo(rsa.getModulus());
    assertThat(key.getPublicExponent().toString()).isEqualTo("AQAB");
    assertThat(key.size()).isEqualTo(2048);
    assertThat(set.jwksJsonAt(Instant.now())).contains(rsa.getModulus().toString());
  }

  private static String withLeadingZero(com.nimbusds.jose.util.Base64URL v) {
    byte[] bytes = v.decode();
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 1, bytes.length);
    return com.nimbusds.jose.util.Base64URL.encode(out).toString();
  }

  @Test
  void aWeakRsaKeyFails() throws Exception {
    RSAKey small = new RSAKeyGenerator(1024, true).generate();
    assertRefused(small, SigningAlgorithm.RS256, "1024-bit");
  }

  @Test
  void unparsableJsonFailsWithoutEchoingIt() {
    String broken = "{\"kty\":\"EC\",\"d\":\"" + ec.getD() + "\"";
    assertThatThrownBy(() -> new EnvKeySource(broken, SigningAlgorithm.ES256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MACP_AUTH_SIGNING_KEY_JSON is not a JSON Web Key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(ec.getD().toString()));
    assertThatThrownBy(() -> new EnvKeySource("  ", SigningAlgorithm.ES256))
        .hasMessageContaining("empty");
  }

  private static void assertRefused(JWK key, SigningAlgorithm alg, String expected) {
    ThrowingCallable create = () -> new EnvKeySource(key.toJSONString(), alg);
    assertThatThrownBy(create)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MACP_AUTH_SIGNING_KEY_JSON")
        .hasMessageContaining(expected)
        .satisfies(e -> {
          for (String member : new String[] {"d", "p", "q", "dp", "dq", "qi", "n", "x", "y"}) {
            Object value = key.toJSONObject().get(member);
            if (value != null) {
              assertThat(e.getMessage()).doesNotContain(value.toString());
            }
          }
        });
  }
}
