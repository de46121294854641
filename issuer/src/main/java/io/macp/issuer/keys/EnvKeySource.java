package io.macp.issuer.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.macp.issuer.api.IssuerEnvNames;
import io.macp.keyset.Jwks;
import io.macp.keyset.KeySpec;
import io.macp.keyset.SigningAlgorithm;
import java.text.ParseException;

/**
 * One private JWK from {@code MACP_AUTH_SIGNING_KEY_JSON}, as the reference service takes it: it
 * must match the configured algorithm, its kid is kept (else {@value #DEFAULT_KID}), and {@code alg}
 * and {@code use=sig} are filled in when missing. Every error names what is wrong with the key, never
 * any part of it.
 */
public final class EnvKeySource extends StaticKeySetSource {
  public static final String DEFAULT_KID = "key-1";
  static final String VARIABLE = IssuerEnvNames.SIGNING_KEY_JSON;

  public EnvKeySource(String privateJwkJson, SigningAlgorithm algorithm) {
    super(parseSigningKey(privateJwkJson, algorithm));
  }

  @Override
  public String kind() {
    return "env";
  }

  /** Validates and completes the configured key; throws IllegalArgumentException otherwise. */
  static JWK parseSigningKey(String json, SigningAlgorithm algorithm) {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException(VARIABLE + " is set but empty; set a private JWK, or unset"
          + " it to use a key-set file");
    }
    JWK jwk;
    try {
      jwk = JWK.parse(json);
    } catch (ParseException | RuntimeException e) {
      // The parser's message may quote the input; the input is a private key.
      throw new IllegalArgumentException(VARIABLE + " is not a JSON Web Key: expected a JSON object"
          + " holding a private key, " + needed(algorithm));
    }
    if (!matches(jwk, algorithm)) {
      throw new IllegalArgumentException(VARIABLE + " holds " + kindOf(jwk) + ", but"
          + " MACP_AUTH_SIGNING_ALG " + algorithm + " needs " + needed(algorithm));
    }
    if (!jwk.isPrivate()) {
      throw new IllegalArgumentException(VARIABLE + " holds only a public key; the issuer needs the"
          + " private JWK (with its \"d\" member) to sign");
    }
    if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(algorithm.name())) {
      throw new IllegalArgumentException(VARIABLE + " declares alg " + jwk.getAlgorithm().getName()
          + ", but MACP_AUTH_SIGNING_ALG is " + algorithm);
    }
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      throw new IllegalArgumentException(VARIABLE + " declares use \"" + jwk.getKeyUse().identifier()
          + "\"; a signing key needs use \"sig\" or no use");
    }
    // Any valid encoding is accepted (leading zero bytes in n, e = AAEAAQ) and normalized.
    jwk = Jwks.normalized(jwk);
    if (jwk instanceof RSAKey rsa && !KeySpec.RSA_SIZES.contains(Jwks.rsaModulusBits(rsa))) {
      throw new IllegalArgumentException(VARIABLE + " is a " + Jwks.rsaModulusBits(rsa)
          + "-bit RSA key; use 2048, 3072 or 4096 bits");
    }
    String kid = jwk.getKeyID() == null || jwk.getKeyID().isBlank() ? DEFAULT_KID : jwk.getKeyID();
    JWK completed = jwk instanceof RSAKey rsa
        ? new RSAKey.Builder(rsa).keyID(kid).algorithm(algorithm.jws()).keyUse(KeyUse.SIGNATURE).build()
        : new ECKey.Builder((ECKey) jwk).keyID(kid).algorithm(algorithm.jws())
            .keyUse(KeyUse.SIGNATURE).build();
    requireKeyPair(completed, algorithm);
    return completed;
  }

  private static boolean matches(JWK jwk, SigningAlgorithm algorithm) {
    return switch (algorithm) {
      case RS256 -> jwk instanceof RSAKey;
      case ES256 -> jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
    };
  }

  private static String needed(SigningAlgorithm algorithm) {
    return algorithm == SigningAlgorithm.RS256 ? "an RSA key (kty RSA)"
        : "an EC key on P-256 (kty EC, crv P-256)";
  }

  /** Names the key type, which is not secret, so a person can see the mismatch. */
  private static String kindOf(JWK jwk) {
    if (jwk instanceof ECKey ec) {
      return "an EC key on " + ec.getCurve();
    }
    return "a key of kty " + jwk.getKeyType();
  }

  /** A sign-and-verify round trip: catches private and public halves that don't belong together. */
  private static void requireKeyPair(JWK jwk, SigningAlgorithm algorithm) {
    boolean verified;
    try {
      JWSSigner signer;
      JWSVerifier verifier;
      if (jwk instanceof RSAKey rsa) {
        signer = new RSASSASigner(rsa);
        verifier = new RSASSAVerifier(rsa.toPublicJWK());
      } else {
        ECKey ec = (ECKey) jwk;
        signer = new ECDSASigner(ec);
        verifier = new ECDSAVerifier(ec.toPublicJWK());
      }
      JWSObject probe = new JWSObject(new JWSHeader(algorithm.jws()), new Payload("key check"));
      probe.sign(signer);
      verified = probe.verify(verifier);
    } catch (JOSEException | RuntimeException e) {
      throw new IllegalArgumentException(VARIABLE + ": the key can't sign " + algorithm + " tokens ("
          + e.getClass().getSimpleName() + ")");
    }
    if (!verified) {
      throw new IllegalArgumentException(
          VARIABLE + ": the private and public parts of the key do not belong together");
    }
  }
}
