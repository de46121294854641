package io.macp.issuer.http;

import java.util.Map;
import java.util.Objects;

/**
 * A {@code POST /tokens} body that passed the contract's validation.
 *
 * @param sender the {@code sender} exactly as sent (becomes {@code sub})
 * @param scopes the {@code scopes} object as sent, unknown keys included ({@code {}} when absent);
 *     unmodifiable, values are String, Boolean, Integer/Long/BigInteger, BigDecimal, List, Map or
 *     null
 * @param ttlSeconds the TTL the contract gives this request: the asked value rounded up to whole
 *     seconds and clamped to the server's maximum, or the default TTL when none was asked
 * @param ttlRequested whether the body carried a {@code ttl_seconds} number
 */
public record MintRequest(
    String sender, Map<String, Object> scopes, long ttlSeconds, boolean ttlRequested) {
  public MintRequest {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(scopes, "scopes");
    if (ttlSeconds < 1) {
      throw new IllegalArgumentException("ttlSeconds must be at least 1");
    }
  }
}
