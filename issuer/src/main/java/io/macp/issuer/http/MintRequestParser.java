package io.macp.issuer.http;

import io.macp.issuer.IssuerJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The contract's validation of a {@code POST /tokens} body, in the reference's order: JSON parse,
 * then sender, then scopes, then ttl_seconds. Pure: bytes in, a request or an error text out.
 *
 * <p>Choices where the reference is loose, kept compatible with clients that work against it:
 *
 * <ul>
 *   <li>A body not sent as {@code application/json} is not parsed (like the reference), so it
 *       answers {@code sender is required}; so does an empty JSON body. A JSON body must be an
 *       object or array at the top level (the reference's parser is strict), else it is invalid.
 *   <li>{@code ttl_seconds} may be any positive JSON number (the reference accepts 1.5); a
 *       fraction is rounded UP to whole seconds, so a tiny positive value never becomes 0 and
 *       {@code exp - iat == expires_in_seconds} stays an integer. Above the maximum it is clamped.
 *   <li>{@code sender} blank means empty after trimming the whitespace JavaScript's trim removes.
 *   <li>{@code scopes} are bounded (the reference has no bound): nesting at most
 *       {@link #MAX_SCOPES_DEPTH}, at most {@link #MAX_SCOPES_BYTES} as written, every number at
 *       most {@link IssuerJson#MAX_NUMBER_CHARS} characters; beyond that 400
 *       {@code scopes too large} (or {@code invalid JSON body} for a longer number).
 * </ul>
 */
public final class MintRequestParser {
  public static final String INVALID_JSON = "invalid JSON body";
  public static final String SENDER_REQUIRED = "sender is required";
  public static final String SCOPES_NOT_OBJECT = "scopes must be an object";
  public static final String TTL_NOT_POSITIVE = "ttl_seconds must be a positive number";
  public static final String SCOPES_TOO_LARGE = "scopes too large";

  /**
   * Largest {@code scopes} object, in bytes as written into the token (compact numbers, see
   * {@link IssuerJson}). MACP scopes are a few hundred bytes; this keeps every token under
   * about 17 KiB before signing whatever the body held.
   */
  public static final int MAX_SCOPES_BYTES = 16 * 1024;

  /** Deepest nesting of arrays and objects inside {@code scopes} (the object itself is 1). */
  public static final int MAX_SCOPES_DEPTH = 16;

  private final Supplier<TtlLimits> limits;

  /**
   * The token TTLs in force for one request, in seconds.
   *
   * @param maxTtlSeconds an asked TTL above it is clamped to it
   * @param defaultTtlSeconds the TTL when none is asked
   * @throws IllegalArgumentException unless 1 <= default <= max
   */
  public record TtlLimits(long maxTtlSeconds, long defaultTtlSeconds) {
    public TtlLimits {
      if (maxTtlSeconds < 1 || defaultTtlSeconds < 1 || defaultTtlSeconds > maxTtlSeconds) {
        throw new IllegalArgumentException("need 1 <= default TTL <= max TTL");
      }
    }
  }

  /** Fixed limits (the issuer's env). */
  public MintRequestParser(long maxTtlSeconds, long defaultTtlSeconds) {
    TtlLimits fixed = new TtlLimits(maxTtlSeconds, defaultTtlSeconds);
    this.limits = () -> fixed;
  }

  /**
   * @param limits asked once per request: the operator-managed key set's settings, read live,
   *     else the env (see IssuerServer)
   */
  public MintRequestParser(Supplier<TtlLimits> limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The outcome: exactly one of request and error is set. */
  public record Result(MintRequest request, String error) {
    static Result ok(MintRequest request) {
      return new Result(request, null);
    }

    static Result invalid(String error) {
      return new Result(null, error);
    }

    public boolean valid() {
      return request != null;
    }
  }

  /**
   * @param isJson whether the request's content type is {@code application/json}
   * @param body the body bytes (null or empty when there is none)
   */
  public Result parse(boolean isJson, byte[] body) {
    TtlLimits ttl = limits.get();
    if (!isJson || body == null || body.length == 0) {
      return Result.invalid(SENDER_REQUIRED);
    }
    Object doc;
    try {
      doc = IssuerJson.MAPPER.readValue(body, Object.class);
    } catch (IOException | RuntimeException e) {
      // Jackson's message may quote the body: it is never passed on.
      return Result.invalid(INVALID_JSON);
    }
    if (doc instanceof List<?>) {
      return Result.invalid(SENDER_REQUIRED);
    }
    if (!(doc instanceof Map<?, ?> fields)) {
      // A bare string, number, boolean or null: the reference's strict parser refuses those.
      return Result.invalid(INVALID_JSON);
    }
    if (!(fields.get("sender") instanceof String sender) || isJsBlank(sender)) {
      return Result.invalid(SENDER_REQUIRED);
    }
    Map<String, Object> scopes;
    if (!fields.containsKey("scopes")) {
      scopes = Map.of();
    } else if (fields.get("scopes") instanceof Map<?, ?> map) {
      scopes = scopesOf(map);
      if (!withinBounds(scopes)) {
        return Result.invalid(SCOPES_TOO_LARGE);
      }
    } else {
      return Result.invalid(SCOPES_NOT_OBJECT);
    }
    Object asked = fields.get("ttl_seconds");
    if (asked == null) {
      return Result.ok(new MintRequest(sender, scopes, ttl.defaultTtlSeconds(), false));
    }
    long seconds = effectiveTtl(asked, ttl.maxTtlSeconds());
    if (seconds < 1) {
      return Result.invalid(TTL_NOT_POSITIVE);
    }
    return Result.ok(new MintRequest(sender, scopes, seconds, true));
  }

  /** The asked TTL rounded up and clamped to the maximum, or 0 when it is not a positive number. */
  long effectiveTtl(Object ttl) {
    return effectiveTtl(ttl, limits.get().maxTtlSeconds());
  }

  private static long effectiveTtl(Object ttl, long maxTtlSeconds) {
    BigDecimal value;
    if (ttl instanceof Integer || ttl instanceof Long) {
      value = BigDecimal.valueOf(((Number) ttl).longValue());
    } else if (ttl instanceof BigInteger big) {
      value = new BigDecimal(big);
    } else if (ttl instanceof BigDecimal dec) {
      value = dec;
    } else {
      return 0;
    }
    if (value.signum() <= 0) {
      return 0;
    }
    // Compare before rounding: 1e-999999999 or 1e999999999 must not make a huge BigInteger.
    if (value.compareTo(BigDecimal.ONE) <= 0) {
      return 1;
    }
    if (value.compareTo(BigDecimal.valueOf(maxTtlSeconds)) >= 0) {
      return maxTtlSeconds;
    }
    return value.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Depth and written size within {@link #MAX_SCOPES_DEPTH} and {@link #MAX_SCOPES_BYTES}. */
  static boolean withinBounds(Map<String, Object> scopes) {
    if (depth(scopes, 1) > MAX_SCOPES_DEPTH) {
      return false;
    }
    try {
      // The same writer the minter and the audit use, so this is the size they will write.
      return IssuerJson.MAPPER.writeValueAsBytes(scopes).length <= MAX_SCOPES_BYTES;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static int depth(Object value, int level) {
    if (level > MAX_SCOPES_DEPTH) {
      return level;
    }
    int deepest = level;
    if (value instanceof Map<?, ?> m) {
      for (Object v : m.values()) {
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
          deepest = Math.max(deepest, depth(v, level + 1));
        }
      }
    } else if (value instanceof List<?> l) {
      for (Object v : l) {
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
          deepest = Math.max(deepest, depth(v, level + 1));
        }
      }
    }
    return deepest;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> scopesOf(Map<?, ?> map) {
    // Jackson gives a LinkedHashMap<String, Object>: keep it (and its order) and forbid changes.
    return Collections.unmodifiableMap((Map<String, Object>) map);
  }

  /** JavaScript's {@code s.trim() === ""}: ECMAScript WhiteSpace and LineTerminator only. */
  static boolean isJsBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isJsWhitespace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isJsWhitespace(char c) {
    return switch (c) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x00A0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
          0x3000, 0xFEFF -> true;
      default -> c >= 0x2000 && c <= 0x200A;
    };
  }
}
