package io.macp.issuer.observe;

import java.util.Objects;

/**
 * Who fetched the JWKS, as far as the issuer can tell: the source address and the User-Agent.
 * Both are bounded ({@value #MAX_USER_AGENT} characters of User-Agent, printable ASCII only), so
 * the table's memory per client is bounded and the values are safe to show. Several verifiers
 * behind one proxy or NAT with the same User-Agent are one client to us (docs/verifiers.md).
 *
 * @param address the client's IP address as text
 * @param userAgent the sanitized User-Agent, "" when absent
 */
public record VerifierClient(String address, String userAgent) {
  public static final int MAX_USER_AGENT = 160;
  static final int MAX_ADDRESS = 64;

  public VerifierClient {
    address = sanitize(Objects.requireNonNullElse(address, ""), MAX_ADDRESS);
    userAgent = sanitize(Objects.requireNonNullElse(userAgent, ""), MAX_USER_AGENT);
  }

  /** A display name, e.g. {@code 10.0.3.7 (macp-runtime/1.4)}. */
  public String displayName() {
    return userAgent.isEmpty() ? address : address + " (" + userAgent + ")";
  }

  private static String sanitize(String s, int max) {
    int n = Math.min(s.length(), max);
    boolean clean = n == s.length();
    for (int i = 0; clean && i < n; i++) {
      char c = s.charAt(i);
      clean = c >= 0x20 && c < 0x7f;
    }
    if (clean) {
      return s;
    }
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
