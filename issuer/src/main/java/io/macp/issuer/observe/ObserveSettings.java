package io.macp.issuer.observe;

import io.macp.issuer.api.IssuerEnvNames;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the issuer observes its verifiers' JWKS fetches (see docs/verifiers.md).
 *
 * @param maxClients MACP_AUTH_OBSERVE_MAX_CLIENTS (default {@value #DEFAULT_MAX_CLIENTS}, 0 turns
 *     observation off, at most {@value #MAX_MAX_CLIENTS}): distinct clients remembered; beyond it
 *     the one that fetched least recently is evicted
 * @param trustForwardedFor MACP_AUTH_OBSERVE_FORWARDED_FOR (default false): take the client
 *     address from the first {@code X-Forwarded-For} entry instead of the socket. Only for an
 *     issuer behind a proxy that sets it: otherwise any client can choose the name it is known by
 * @param tokenFile MACP_AUTH_OBSERVER_TOKEN_FILE, or null: a file holding the bearer token that
 *     {@code GET /verifiers} (mint port only) requires; without it that endpoint answers 404
 */
public record ObserveSettings(int maxClients, boolean trustForwardedFor, Path tokenFile) {
  public static final int DEFAULT_MAX_CLIENTS = 4096;
  public static final int MAX_MAX_CLIENTS = 65_536;

  public static ObserveSettings defaults() {
    return new ObserveSettings(DEFAULT_MAX_CLIENTS, false, null);
  }

  public boolean enabled() {
    return maxClients > 0;
  }

  /** Reads the settings, adding each problem to {@code problems}. */
  public static ObserveSettings read(Map<String, String> env, List<String> problems) {
    int max = DEFAULT_MAX_CLIENTS;
    String raw = value(env, IssuerEnvNames.OBSERVE_MAX_CLIENTS);
    if (raw != null) {
      try {
        max = Integer.parseInt(raw);
        if (max < 0 || max > MAX_MAX_CLIENTS) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problems.add("MACP_AUTH_OBSERVE_MAX_CLIENTS='" + shorten(raw)
            + "' must be a whole number from 0 (off) to " + MAX_MAX_CLIENTS);
        max = DEFAULT_MAX_CLIENTS;
      }
    }
    boolean forwarded = false;
    String fwd = value(env, IssuerEnvNames.OBSERVE_FORWARDED_FOR);
    if (fwd != null) {
      String v = fwd.toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("false")) {
        forwarded = v.equals("true");
      } else {
        problems.add("MACP_AUTH_OBSERVE_FORWARDED_FOR='" + shorten(fwd)
            + "' must be true or false");
      }
    }
    Path token = null;
    String file = value(env, IssuerEnvNames.OBSERVER_TOKEN_FILE);
    if (file != null) {
      try {
        token = Path.of(file);
      } catch (RuntimeException e) {
        problems.add("MACP_AUTH_OBSERVER_TOKEN_FILE is not a valid path");
      }
    }
    return new ObserveSettings(max, forwarded, token);
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static String shorten(String v) {
    return v.length() > 40 ? v.substring(0, 40) + "…" : v;
  }
}
