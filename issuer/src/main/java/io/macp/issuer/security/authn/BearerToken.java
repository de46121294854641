package io.macp.issuer.security.authn;

import java.util.Optional;

/**
 * Parses {@code Authorization: Bearer <token>} (RFC 6750 section 2.1): the scheme is
 * case-insensitive, followed by one or more spaces and a b64token
 * ({@code A-Z a-z 0-9 - . _ ~ + /} then optional {@code =} padding). Anything else, or a value
 * longer than {@link #MAX_LENGTH}, is malformed. Never throws.
 */
public final class BearerToken {
  public static final int MAX_LENGTH = 8192;

  private BearerToken() {}

  /** The token, or empty when the header is absent or malformed. */
  public static Optional<String> parse(String header) {
    if (header == null || header.length() > MAX_LENGTH || header.length() < 8) {
      return Optional.empty();
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    int start = 7;
    while (start < header.length() && header.charAt(start) == ' ') {
      start++;
    }
    String token = header.substring(start);
    return isB64Token(token) ? Optional.of(token) : Optional.empty();
  }

  static boolean isB64Token(String token) {
    if (token.isEmpty()) {
      return false;
    }
    int i = 0;
    while (i < token.length() && isTokenChar(token.charAt(i))) {
      i++;
    }
    if (i == 0) {
      return false;
    }
    while (i < token.length() && token.charAt(i) == '=') {
      i++;
    }
    return i == token.length();
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
  }
}
