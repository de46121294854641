package io.macp.issuer;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Private JWKs for tests; RSA keys are cached by kid because generating them is slow. */
public final class TestKeys {
  private static final Map<String, JWK> RSA = new ConcurrentHashMap<>();

  private TestKeys() {}

  public static JWK es256(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256)
          .keyID(kid)
          .algorithm(JWSAlgorithm.ES256)
          .keyUse(KeyUse.SIGNATURE)
          .generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static JWK rs256(String kid) {
    return RSA.computeIfAbsent(kid, k -> {
      try {
        return new RSAKeyGenerator(2048)
            .keyID(k)
            .algorithm(JWSAlgorithm.RS256)
            .keyUse(KeyUse.SIGNATURE)
            .generate();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** A key set of one key that signs from the epoch on. */
  public static KeySet single(JWK jwk) {
    return new KeySet(List.of(ManagedKey.created(jwk, Instant.EPOCH, Instant.EPOCH)));
  }
}
