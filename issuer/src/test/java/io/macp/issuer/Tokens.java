package io.macp.issuer;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Verifies tokens the way a MACP verifier does: by kid, against a served JWKS. */
public final class Tokens {
  private Tokens() {}

  /** The verified token; AssertionError when its kid is not in the JWKS or it doesn't verify. */
  public static SignedJWT verify(String token, String jwksJson) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      JWKSet set = JWKSet.parse(jwksJson);
      String kid = jwt.getHeader().getKeyID();
      JWK key = set.getKeyByKeyId(kid);
      if (key == null) {
        throw new AssertionError("kid " + kid + " is not in the JWKS " + jwksJson);
      }
      if (key.isPrivate()) {
        throw new AssertionError("the JWKS carries a private key");
      }
      JWSVerifier verifier = key instanceof RSAKey rsa
          ? new RSASSAVerifier(rsa)
          : new ECDSAVerifier((ECKey) key);
      if (!jwt.verify(verifier)) {
        throw new AssertionError("signature does not verify with kid " + kid);
      }
      return jwt;
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("token does not verify: " + e, e);
    }
  }

  public static JWTClaimsSet claims(String token, String jwksJson) {
    try {
      return verify(token, jwksJson).getJWTClaimsSet();
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }
}
