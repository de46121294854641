package io.macp.issuer.observe;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.Set;

/**
 * What the JWKS route calls after each answer (200 or 304): names the client and records which
 * JWKS it now holds. {@link #OFF} records nothing (MACP_AUTH_OBSERVE_MAX_CLIENTS=0).
 */
public interface FetchRecorder {
  FetchRecorder OFF = (ctx, at, etag, kids) -> { };

  void record(Context ctx, Instant at, String etag, Set<String> kids);

  /** Records into {@code table}, naming clients as {@code settings} says. */
  static FetchRecorder into(VerifierObservations table, ObserveSettings settings) {
    boolean forwarded = settings.trustForwardedFor();
    return (ctx, at, etag, kids) ->
        table.observe(new VerifierClient(address(ctx, forwarded), ctx.userAgent()), at, etag, kids);
  }

  /** The socket's address, or with {@code forwarded} a plausible first X-Forwarded-For entry. */
  static String address(Context ctx, boolean forwarded) {
    if (forwarded) {
      String xff = ctx.header("X-Forwarded-For");
      if (xff != null) {
        int comma = xff.indexOf(',');
        String first = (comma < 0 ? xff : xff.substring(0, comma)).strip();
        if (looksLikeIp(first)) {
          return first;
        }
      }
    }
    return ctx.ip();
  }

  /** Digits, hex letters, dots and colons only, at most 45 characters (an IPv6 literal). */
  static boolean looksLikeIp(String s) {
    if (s.isEmpty() || s.length() > 45) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
          || c == '.' || c == ':';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
