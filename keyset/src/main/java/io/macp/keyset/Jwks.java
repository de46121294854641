package io.macp.keyset;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;

/**
 * Import rules for JWKs: any valid encoding of an allowed key is accepted and normalized.
 *
 * <p>RFC 7518 section 6.3.1 asks for the minimal big-endian encoding of RSA members, but
 * producers (and node's crypto/jose on import) also accept a leading zero byte, e.g. in {@code n}
 * or an {@code e} of {@code AAEAAQ}. The key size is the modulus' bit length, never the length of
 * its encoding, and the normalized JWK carries minimal encodings.
 */
public final class Jwks {
  private Jwks() {}

  /**
   * The RSA key size in bits as key sizes are named (2048, 3072, 4096): the modulus' length in
   * whole bytes, leading zero bytes not counted.
   */
  public static int rsaModulusBits(RSAKey rsa) {
    if (isMinimal(rsa.getModulus())) {
      // Unpadded base64url: every 4 characters carry 3 bytes.
      return rsa.getModulus().toString().length() * 6 / 8 * 8;
    }
    return (rsa.getModulus().decodeToBigInteger().bitLength() + 7) / 8 * 8;
  }

  /** Whether a base64url big-endian integer has no leading zero byte (its first 8 bits). */
  static boolean isMinimal(Base64URL v) {
    String s = v.toString();
    // A leading zero byte is 8 zero bits: "A" (6 zero bits) then one of "A".."P" (2 more).
    return s.length() < 2 || s.charAt(0) != 'A' || s.charAt(1) < 'A' || s.charAt(1) > 'P';
  }

  /**
   * The same key with every RSA member in its minimal encoding; EC keys (fixed-length members
   * by RFC 7518 section 6.2.1) are returned as they are.
   */
  public static JWK normalized(JWK jwk) {
    if (!(jwk instanceof RSAKey rsa) || allMinimal(rsa)) {
      return jwk;
    }
    RSAKey.Builder b =
        new RSAKey.Builder(minimal(rsa.getModulus()), minimal(rsa.getPublicExponent()))
            .keyUse(rsa.getKeyUse())
            .keyOperations(rsa.getKeyOperations())
            .algorithm(rsa.getAlgorithm())
            .keyID(rsa.getKeyID());
    if (rsa.getPrivateExponent() != null) {
      b.privateExponent(minimal(rsa.getPrivateExponent()));
    }
    if (rsa.getFirstPrimeFactor() != null) {
      b.firstPrimeFactor(minimal(rsa.getFirstPrimeFactor()))
          .secondPrimeFactor(minimal(rsa.getSecondPrimeFactor()))
          .firstFactorCRTExponent(minimal(rsa.getFirstFactorCRTExponent()))
          .secondFactorCRTExponent(minimal(rsa.getSecondFactorCRTExponent()))
          .firstCRTCoefficient(minimal(rsa.getFirstCRTCoefficient()));
    }
    if (rsa.getOtherPrimes() != null && !rsa.getOtherPrimes().isEmpty()) {
      b.otherPrimes(rsa.getOtherPrimes());
    }
    return b.build();
  }

  private static boolean allMinimal(RSAKey rsa) {
    for (Base64URL v : new Base64URL[] {rsa.getModulus(), rsa.getPublicExponent(),
        rsa.getPrivateExponent(), rsa.getFirstPrimeFactor(), rsa.getSecondPrimeFactor(),
        rsa.getFirstFactorCRTExponent(), rsa.getSecondFactorCRTExponent(),
        rsa.getFirstCRTCoefficient()}) {
      if (v != null && !isMinimal(v)) {
        return false;
      }
    }
    return true;
  }

  private static Base64URL minimal(Base64URL v) {
    if (v == null) {
      return null;
    }
    BigInteger value = v.decodeToBigInteger();
    return Base64URL.encode(value);
  }
}
