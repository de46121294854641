package io.macp.keyset;

import java.util.Set;

/** What kind of key to generate: the algorithm and, for RSA, the modulus size. */
public record KeySpec(SigningAlgorithm algorithm, int rsaKeySize) {
  public static final Set<Integer> RSA_SIZES = Set.of(2048, 3072, 4096);
  public static final int DEFAULT_RSA_SIZE = 2048;

  public KeySpec {
    if (algorithm == null) {
      throw new IllegalArgumentException("algorithm is required");
    }
    if (algorithm == SigningAlgorithm.RS256 && !RSA_SIZES.contains(rsaKeySize)) {
      throw new IllegalArgumentException(
          "RSA key size " + rsaKeySize + " is not allowed: use 2048, 3072 or 4096");
    }
    if (algorithm == SigningAlgorithm.ES256) {
      rsaKeySize = 0;
    }
  }

  public static KeySpec rs256() {
    return new KeySpec(SigningAlgorithm.RS256, DEFAULT_RSA_SIZE);
  }

  public static KeySpec es256() {
    return new KeySpec(SigningAlgorithm.ES256, 0);
  }

  public static KeySpec of(SigningAlgorithm algorithm, Integer rsaKeySize) {
    return new KeySpec(algorithm, rsaKeySize == null ? DEFAULT_RSA_SIZE : rsaKeySize);
  }

  @Override
  public String toString() {
    return algorithm == SigningAlgorithm.RS256 ? "RS256/RSA-" + rsaKeySize : "ES256/P-256";
  }
}
