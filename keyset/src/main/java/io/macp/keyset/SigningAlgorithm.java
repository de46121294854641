package io.macp.keyset;

import com.nimbusds.jose.JWSAlgorithm;

/** The two algorithms MACP verifiers accept for issuer-signed tokens. */
public enum SigningAlgorithm {
  RS256(JWSAlgorithm.RS256),
  ES256(JWSAlgorithm.ES256);

  private final JWSAlgorithm jws;

  SigningAlgorithm(JWSAlgorithm jws) {
    this.jws = jws;
  }

  public JWSAlgorithm jws() {
    return jws;
  }

  /** Parses the contract's spelling; anything else is an error a person can act on. */
  public static SigningAlgorithm parse(String name) {
    for (SigningAlgorithm a : values()) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unsupported signing algorithm '" + name + "': use RS256 or ES256");
  }
}
