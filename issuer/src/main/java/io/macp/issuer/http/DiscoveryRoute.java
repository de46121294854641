package io.macp.issuer.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.macp.issuer.signing.CurrentKeySet;
import io.macp.keyset.ManagedKey;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * {@code GET /.well-known/openid-configuration}: enough metadata for a generic JWT verifier to
 * find the keys. When the configured issuer is an http(s) URL the endpoints hang off it;
 * otherwise (the reference's default issuer is a bare name) they hang off the address the caller
 * used, taken from a Host header only when it is a well-formed host[:port].
 *
 * <p>With a separate public port, {@code jwks_uri} names the public endpoints: MACP_AUTH_PUBLIC_URL
 * when set (the operator sets it to the Service's public port); else the issuer URL when it is
 * one; else the caller's address, with the public port swapped in when the caller reached the
 * main port directly (its Host names that very port). Behind a proxy that maps ports the caller's
 * address is kept: the main port serves the JWKS too.
 */
public final class DiscoveryRoute implements Handler {
  static final String JWKS_PATH = "/.well-known/jwks.json";
  static final String TOKENS_PATH = "/tokens";

  private static final Pattern HOST =
      Pattern.compile(
          "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
              + "|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?$");

  private final String issuer;
  private final String issuerBase;
  private final String defaultAlg;
  private final CurrentKeySet keys;
  private final Clock clock;
  private final String publicUrl;
  private final IntSupplier publicPort;

  /** @param defaultAlg the configured algorithm, named when no key is published */
  public DiscoveryRoute(String issuer, String defaultAlg, CurrentKeySet keys, Clock clock) {
    this(issuer, defaultAlg, keys, clock, null, () -> 0);
  }

  /**
   * @param publicUrl MACP_AUTH_PUBLIC_URL without a trailing slash, or null
   * @param publicPort the bound public port, or 0 when the issuer has one port only
   */
  public DiscoveryRoute(String issuer, String defaultAlg, CurrentKeySet keys, Clock clock,
      String publicUrl, IntSupplier publicPort) {
    this.issuer = issuer;
    this.issuerBase = urlBase(issuer);
    this.defaultAlg = defaultAlg;
    this.keys = keys;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.publicPort = publicPort;
  }

  @Override
  public void handle(Context ctx) {
    String base = issuerBase != null ? issuerBase : requestBase(ctx.req());
    String jwksBase = publicUrl != null ? publicUrl
        : issuerBase != null ? issuerBase
        : publicBase(ctx.req(), publicPort.getAsInt());
    Instant now = clock.instant();
    TreeSet<String> algs = new TreeSet<>();
    for (ManagedKey k : keys.viewAt(now).keySet().publishedAt(now)) {
      algs.add(k.algorithm().name());
    }
    if (algs.isEmpty()) {
      algs.add(defaultAlg);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer);
    doc.put("jwks_uri", jwksBase + JWKS_PATH);
    doc.put("token_endpoint", base + TOKENS_PATH);
    doc.put("id_token_signing_alg_values_supported", List.copyOf(algs));
    doc.put("token_endpoint_auth_signing_alg_values_supported", List.copyOf(algs));
    doc.put("response_types_supported", List.of("token"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("claims_supported",
        List.of("iss", "aud", "sub", "iat", "exp", "jti", "macp_scopes"));
    // Derived from the request, the answer differs per Host: shared caches must not mix them.
    ctx.header("Cache-Control", issuerBase != null ? "public, max-age=300" : "no-cache");
    if (issuerBase == null) {
      ctx.header("Vary", "Host");
    }
    JsonAnswers.json(ctx, 200, JsonAnswers.bytes(doc));
  }

  /** The issuer without a trailing slash when it is an absolute http(s) URL, else null. */
  static String urlBase(String issuer) {
    try {
      URI uri = new URI(issuer);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
          && uri.getQuery() == null && uri.getFragment() == null) {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
      }
    } catch (Exception e) {
      // not a URL: fall through
    }
    return null;
  }

  /**
   * The caller's address for the public endpoints: with the public port swapped in only when
   * the caller named our main port itself (no port mapping in between).
   *
   * @param publicPort 0 when there is no public port
   */
  static String publicBase(HttpServletRequest req, int publicPort) {
    String base = requestBase(req);
    String host = req.getHeader("Host");
    if (publicPort == 0 || req.getLocalPort() == publicPort || host == null
        || !HOST.matcher(host).matches()) {
      return base;
    }
    String suffix = ":" + req.getLocalPort();
    if (!host.endsWith(suffix)) {
      return base;
    }
    return req.getScheme() + "://" + host.substring(0, host.length() - suffix.length()) + ":"
        + publicPort;
  }

  static String requestBase(HttpServletRequest req) {
    String host = req.getHeader("Host");
    if (host == null || !HOST.matcher(host).matches()) {
      String local = req.getLocalAddr();
      host = (local.contains(":") ? "[" + local + "]" : local) + ":" + req.getLocalPort();
    }
    return req.getScheme() + "://" + host;
  }
}
