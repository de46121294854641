package io.macp.keyset;

import java.time.Duration;
import java.util.Objects;

/**
 * Issuer settings carried by the key-set document next to the keys, so that issuer pods pick a
 * change up live with the keys instead of through their pod template (which would restart them).
 * A replica that still holds the previous document mints under the previous maximum: each key's
 * {@link ManagedKey#maxTokenTtl()} (never lowered) covers those tokens (docs/rotation.md).
 *
 * @param defaultTokenTtl TTL of a token when the mint request asks for none (document {@code
 *     tokens.defaultTtl}); at least 1s and at most maxTokenTtl
 * @param maxTokenTtl the longest TTL a token may get (document {@code tokens.maxTtl}); at least 1s
 * @param jwksCacheTtl the JWKS {@code Cache-Control: max-age} (document {@code jwksCacheTtl}):
 *     the verifier cache TTL C the rotation timeline assumes; 0 or more
 */
public record IssuerSettings(
    Duration defaultTokenTtl, Duration maxTokenTtl, Duration jwksCacheTtl) {

  /** @throws IllegalArgumentException naming the field that breaks a rule above */
  public IssuerSettings {
    Objects.requireNonNull(defaultTokenTtl, "defaultTokenTtl");
    Objects.requireNonNull(maxTokenTtl, "maxTokenTtl");
    Objects.requireNonNull(jwksCacheTtl, "jwksCacheTtl");
    if (maxTokenTtl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("tokens.maxTtl must be at least 1s");
    }
    if (defaultTokenTtl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("tokens.defaultTtl must be at least 1s");
    }
    if (defaultTokenTtl.compareTo(maxTokenTtl) > 0) {
      throw new IllegalArgumentException("tokens.defaultTtl " + Durations.format(defaultTokenTtl)
          + " must not exceed tokens.maxTtl " + Durations.format(maxTokenTtl));
    }
    if (jwksCacheTtl.isNegative()) {
      throw new IllegalArgumentException("jwksCacheTtl must not be negative");
    }
  }
}
