package io.macp.keyset;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/** Makes new private JWKs. An interface so the planner stays pure and tests stay fast. */
@FunctionalInterface
public interface KeyGenerator {
  JWK generate(KeySpec spec);

  /**
   * Fresh keys from the platform's secure random. The kid is the RFC 7638 thumbprint: unique,
   * stable, and derivable by anyone holding the public key.
   */
  static KeyGenerator secure() {
    return spec -> {
      try {
        return switch (spec.algorithm()) {
          case RS256 -> new RSAKeyGenerator(spec.rsaKeySize())
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(spec.algorithm().jws())
              .keyIDFromThumbprint(true)
              .generate();
          case ES256 -> new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(spec.algorithm().jws())
              .keyIDFromThumbprint(true)
              .generate();
        };
      } catch (JOSEException e) {
        throw new IllegalStateException("key generation failed for " + spec, e);
      }
    };
  }
}
