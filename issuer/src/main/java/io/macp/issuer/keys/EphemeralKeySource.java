package io.macp.issuer.keys;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySpec;

/**
 * A key made at startup and kept only in memory, for local development when no key is configured.
 * Its kid is {@value #KID}, as the reference service names it. The server logs the loud warning
 * (tokens stop verifying at the next restart), naming this source by {@link #kind()}.
 */
public final class EphemeralKeySource extends StaticKeySetSource {
  public static final String KID = "dev-key-1";

  public EphemeralKeySource(KeySpec keySpec) {
    super(withKid(KeyGenerator.secure().generate(keySpec)));
  }

  private static JWK withKid(JWK generated) {
    return generated instanceof RSAKey rsa
        ? new RSAKey.Builder(rsa).keyID(KID).build()
        : new ECKey.Builder((ECKey) generated).keyID(KID).build();
  }

  @Override
  public String kind() {
    return "ephemeral";
  }
}
