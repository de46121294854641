package io.macp.issuer;

import io.macp.issuer.api.IssuerEnvNames;
import io.macp.issuer.keys.KeySourceSettings;
import io.macp.issuer.observe.ObserveSettings;
import io.macp.issuer.security.SecuritySettings;
import io.macp.keyset.Durations;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.SigningAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The issuer's whole configuration, read from environment variables with the reference's names
 * and defaults (plus ours for key sets, rotation, shutdown and mint security). Every value is
 * checked at once and all problems are reported together; a secret value is never echoed. The
 * environment is read here only, so the standalone issuer and embedded ones behave alike.
 *
 * @param port PORT (3200; 0 picks a free port)
 * @param bindAddress MACP_AUTH_BIND_ADDRESS (0.0.0.0)
 * @param issuer MACP_AUTH_ISSUER ({@code macp-auth-service}): the {@code iss} claim
 * @param audience MACP_AUTH_AUDIENCE ({@code macp-runtime}): the {@code aud} claim
 * @param maxTtlSeconds MACP_AUTH_MAX_TTL_SECONDS (3600): asked TTLs are clamped to it, unless
 *     the loaded key set carries {@code tokens} (the operator's do; read live, see IssuerServer)
 * @param defaultTtlSeconds MACP_AUTH_DEFAULT_TTL_SECONDS (300): TTL when none is asked, with the
 *     same exception
 * @param keySpec MACP_AUTH_SIGNING_ALG (RS256) and MACP_AUTH_RSA_KEY_SIZE (2048): the kind of key
 *     this issuer makes itself (ephemeral, self-managed) or expects in MACP_AUTH_SIGNING_KEY_JSON;
 *     the keys of a MACP_AUTH_KEYSET_FILE each carry their own alg, so file mode needs neither
 * @param signingKeyJson MACP_AUTH_SIGNING_KEY_JSON (a private JWK), or null
 * @param keySetFile MACP_AUTH_KEYSET_FILE, or null
 * @param selfManaged MACP_AUTH_KEYSET_SELF_MANAGED (false)
 * @param pollInterval MACP_AUTH_KEYSET_POLL_INTERVAL (1s)
 * @param policy MACP_AUTH_ROTATION_PERIOD (24h), MACP_AUTH_VERIFIER_CACHE_TTL (5m),
 *     MACP_AUTH_VERIFIER_STALE_GRACE (1h), MACP_AUTH_PROPAGATION_DELAY (2m), MACP_AUTH_CLOCK_SKEW
 *     (1m); its maximum token TTL is MACP_AUTH_MAX_TTL_SECONDS. The JWKS max-age is its
 *     verifier cache TTL unless the key set carries {@code jwksCacheTtl}
 * @param drainTimeout MACP_AUTH_DRAIN_TIMEOUT (10s): how long shutdown waits for requests
 * @param security MACP_AUTH_MINT_POLICY_FILE, MACP_AUTH_TLS_CERT_FILE, MACP_AUTH_TLS_KEY_FILE and
 *     MACP_AUTH_SECURITY_POLL_INTERVAL: the mint gate and HTTPS (see docs/security.md)
 * @param publicPort MACP_AUTH_PUBLIC_PORT, or null (the default): a second port serving only the
 *     public endpoints (JWKS, discovery, health, metrics), so a NetworkPolicy can restrict the
 *     mint port alone; 0 picks a free port
 * @param publicUrl MACP_AUTH_PUBLIC_URL, or null: the base URL verifiers reach the public
 *     endpoints at, named by discovery's {@code jwks_uri} (see {@code DiscoveryRoute})
 * @param observe MACP_AUTH_OBSERVE_MAX_CLIENTS, MACP_AUTH_OBSERVE_FORWARDED_FOR and
 *     MACP_AUTH_OBSERVER_TOKEN_FILE: the observation of verifiers' JWKS fetches
 *     (docs/verifiers.md)
 */
public record IssuerConfig(
    int port,
    String bindAddress,
    String issuer,
    String audience,
    long maxTtlSeconds,
    long defaultTtlSeconds,
    KeySpec keySpec,
    String signingKeyJson,
    Path keySetFile,
    boolean selfManaged,
    Duration pollInterval,
    RotationPolicy policy,
    Duration drainTimeout,
    SecuritySettings security,
    Integer publicPort,
    String publicUrl,
    ObserveSettings observe) {

  public static final int DEFAULT_PORT = 3200;
  public static final String DEFAULT_ISSUER = "macp-auth-service";
  public static final String DEFAULT_AUDIENCE = "macp-runtime";

  /** An invalid configuration; the message lists every problem and holds no secret. */
  public static final class InvalidConfigException extends IllegalArgumentException {
    InvalidConfigException(List<String> problems) {
      super("invalid issuer configuration: " + String.join("; ", problems));
    }
  }

  /** The defaults of every variable (the reference's behaviour with an ephemeral key). */
  public static IssuerConfig defaults() {
    return fromEnv(Map.of());
  }

  /**
   * Reads the configuration from environment variables. An empty value counts as unset.
   *
   * @throws InvalidConfigException listing every problem
   */
  public static IssuerConfig fromEnv(Map<String, String> env) {
    Reader r = new Reader(env);
    int port = (int) r.integer(IssuerEnvNames.PORT, DEFAULT_PORT, 0, 65535);
    String bind = r.text(IssuerEnvNames.BIND_ADDRESS, "0.0.0.0");
    String issuer = r.text(IssuerEnvNames.ISSUER, DEFAULT_ISSUER);
    String audience = r.text(IssuerEnvNames.AUDIENCE, DEFAULT_AUDIENCE);
    long maxTtl = r.integer(IssuerEnvNames.MAX_TTL_SECONDS, 3600, 1, 365L * 24 * 3600);
    long defaultTtl = r.integer(IssuerEnvNames.DEFAULT_TTL_SECONDS, 300, 1, 365L * 24 * 3600);
    if (defaultTtl > maxTtl && maxTtl > 0) {
      r.problem("MACP_AUTH_DEFAULT_TTL_SECONDS (" + defaultTtl
          + ") must not exceed MACP_AUTH_MAX_TTL_SECONDS (" + maxTtl + ")");
    }
    SigningAlgorithm alg = r.parsed(IssuerEnvNames.SIGNING_ALG, "RS256", SigningAlgorithm::parse);
    int rsaSize = (int) r.integer(IssuerEnvNames.RSA_KEY_SIZE, KeySpec.DEFAULT_RSA_SIZE, 1, 16384);
    KeySpec keySpec = null;
    if (alg != null && rsaSize > 0) {
      try {
        keySpec = new KeySpec(alg, rsaSize);
      } catch (IllegalArgumentException e) {
        r.problem("MACP_AUTH_RSA_KEY_SIZE: " + e.getMessage());
      }
    }
    String signingKeyJson = r.secret(IssuerEnvNames.SIGNING_KEY_JSON);
    Path keySetFile = r.parsed(IssuerEnvNames.KEYSET_FILE, null, Path::of);
    boolean selfManaged = r.bool(IssuerEnvNames.KEYSET_SELF_MANAGED, false);
    if (selfManaged && !r.isSet(IssuerEnvNames.KEYSET_FILE)) {
      r.problem("MACP_AUTH_KEYSET_SELF_MANAGED=true needs MACP_AUTH_KEYSET_FILE "
          + "(where the issuer keeps its key set)");
    }
    Duration poll = r.duration(IssuerEnvNames.KEYSET_POLL_INTERVAL, "1s");
    if (poll != null && poll.compareTo(Duration.ofMillis(10)) < 0) {
      r.problem("MACP_AUTH_KEYSET_POLL_INTERVAL must be at least 10ms");
    }
    Duration period = r.duration(IssuerEnvNames.ROTATION_PERIOD, "24h");
    Duration cacheTtl = r.duration(IssuerEnvNames.VERIFIER_CACHE_TTL, "5m");
    Duration staleGrace = r.duration(IssuerEnvNames.VERIFIER_STALE_GRACE, "1h");
    Duration propagation = r.duration(IssuerEnvNames.PROPAGATION_DELAY, "2m");
    Duration skew = r.duration(IssuerEnvNames.CLOCK_SKEW, "1m");
    Duration drain = r.duration(IssuerEnvNames.DRAIN_TIMEOUT, "10s");
    RotationPolicy policy = null;
    if (period != null && cacheTtl != null && staleGrace != null && propagation != null
        && skew != null && maxTtl > 0) {
      policy = new RotationPolicy(period, cacheTtl, staleGrace, propagation, skew,
          Duration.ofSeconds(maxTtl));
      // The timeline only matters where this issuer plans rotations itself.
      if (selfManaged) {
        for (String p : policy.problems()) {
          r.problem("rotation policy: " + p);
        }
      }
    }
    SecuritySettings security = SecuritySettings.read(env, r.problems);
    Integer publicPort = r.isSet(IssuerEnvNames.PUBLIC_PORT)
        ? (int) r.integer(IssuerEnvNames.PUBLIC_PORT, 0, 0, 65535)
        : null;
    if (publicPort != null && publicPort > 0 && publicPort == port) {
      r.problem("MACP_AUTH_PUBLIC_PORT must differ from PORT (" + port + ")");
    }
    String publicUrl = r.text(IssuerEnvNames.PUBLIC_URL, null);
    if (publicUrl != null && !isBaseUrl(publicUrl)) {
      r.problem("MACP_AUTH_PUBLIC_URL='" + Reader.shorten(publicUrl)
          + "' must be an absolute http(s) URL without query or fragment");
    }
    ObserveSettings observe = ObserveSettings.read(env, r.problems);
    r.throwIfProblems();
    return new IssuerConfig(port, bind, issuer, audience, maxTtl, defaultTtl, keySpec,
        signingKeyJson, keySetFile, selfManaged, poll, policy, drain, security, publicPort,
        publicUrl == null ? null : stripTrailingSlash(publicUrl), observe);
  }

  private static boolean isBaseUrl(String url) {
    try {
      java.net.URI uri = new java.net.URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
          && uri.getRawQuery() == null && uri.getRawFragment() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Whether a second, public-only port is configured (MACP_AUTH_PUBLIC_PORT). */
  public boolean splitPorts() {
    return publicPort != null;
  }

  /** What the key sources need. */
  public KeySourceSettings keySourceSettings() {
    return new KeySourceSettings(keySetFile, selfManaged, signingKeyJson, keySpec, policy,
        pollInterval);
  }

  public SigningAlgorithm algorithm() {
    return keySpec.algorithm();
  }

  /** A copy listening on another port (tests and embedding use 0). */
  public IssuerConfig withPort(int newPort) {
    return new IssuerConfig(newPort, bindAddress, issuer, audience, maxTtlSeconds,
        defaultTtlSeconds, keySpec, signingKeyJson, keySetFile, selfManaged, pollInterval, policy,
        drainTimeout, security, publicPort, publicUrl, observe);
  }

  /** A copy with other observation settings (tests, benchmarks). */
  public IssuerConfig withObserve(ObserveSettings newObserve) {
    return new IssuerConfig(port, bindAddress, issuer, audience, maxTtlSeconds,
        defaultTtlSeconds, keySpec, signingKeyJson, keySetFile, selfManaged, pollInterval, policy,
        drainTimeout, security, publicPort, publicUrl, newObserve);
  }

  /** A copy with another public port (null: none; 0: a free one). */
  public IssuerConfig withPublicPort(Integer newPublicPort) {
    return new IssuerConfig(port, bindAddress, issuer, audience, maxTtlSeconds,
        defaultTtlSeconds, keySpec, signingKeyJson, keySetFile, selfManaged, pollInterval, policy,
        drainTimeout, security, newPublicPort, publicUrl, observe);
  }

  /** Never prints the signing key. */
  @Override
  public String toString() {
    return "IssuerConfig[port=" + port + ", bindAddress=" + bindAddress + ", issuer=" + issuer
        + ", audience=" + audience + ", maxTtlSeconds=" + maxTtlSeconds + ", defaultTtlSeconds="
        + defaultTtlSeconds + ", keySpec=" + keySpec + ", signingKeyJson="
        + (signingKeyJson == null ? "unset" : "set") + ", keySetFile=" + keySetFile
        + ", selfManaged=" + selfManaged + ", pollInterval=" + Durations.format(pollInterval)
        + ", policy=" + policy + ", drainTimeout=" + Durations.format(drainTimeout)
        + ", security=" + security + ", publicPort=" + publicPort + ", publicUrl=" + publicUrl
        + ", observe=" + observe + "]";
  }

  /** Reads variables and collects every problem instead of stopping at the first. */
  private static final class Reader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = env;
    }

    boolean isSet(String name) {
      String v = env.get(name);
      return v != null && !v.isBlank();
    }

    void problem(String p) {
      problems.add(p);
    }

    void throwIfProblems() {
      if (!problems.isEmpty()) {
        throw new InvalidConfigException(problems);
      }
    }

    /**
     * A plain setting; a control character (C0, DEL, C1: Unicode Cc) is refused, since the value
     * ends up in token claims (iss, aud), log lines or URLs, where a newline or NUL would split
     * or forge them. The operator's CRD and validator refuse the same; standalone issuers are
     * checked only here.
     */
    String text(String name, String fallback) {
      if (!isSet(name)) {
        return fallback;
      }
      String v = env.get(name).trim();
      for (int i = 0; i < v.length(); i++) {
        if (Character.getType(v.charAt(i)) == Character.CONTROL) {
          problems.add(String.format("%s must not contain control characters (found U+%04X at"
              + " index %d); write the value on one line of printable characters", name,
              (int) v.charAt(i), i));
          return fallback;
        }
      }
      return v;
    }

    /** A secret: returned as is, never quoted in a message. */
    String secret(String name) {
      return isSet(name) ? env.get(name) : null;
    }

    long integer(String name, long fallback, long min, long max) {
      if (!isSet(name)) {
        return fallback;
      }
      String v = env.get(name).trim();
      try {
        long n = Long.parseLong(v);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(name + "='" + shorten(v) + "' must be a whole number from " + min + " to "
          + max);
      return -1;
    }

    boolean bool(String name, boolean fallback) {
      if (!isSet(name)) {
        return fallback;
      }
      String v = env.get(name).trim().toLowerCase(Locale.ROOT);
      if (v.equals("true")) {
        return true;
      }
      if (v.equals("false")) {
        return false;
      }
      problems.add(name + "='" + shorten(env.get(name)) + "' must be true or false");
      return fallback;
    }

    Duration duration(String name, String fallback) {
      String v = isSet(name) ? env.get(name).trim() : fallback;
      try {
        return Durations.parse(v);
      } catch (IllegalArgumentException e) {
        problems.add(name + ": " + e.getMessage());
        return null;
      }
    }

    <T> T parsed(String name, String fallback, Function<String, T> parse) {
      String v = isSet(name) ? env.get(name).trim() : fallback;
      if (v == null) {
        return null;
      }
      try {
        return parse.apply(v);
      } catch (IllegalArgumentException e) {
        problems.add(name + ": " + e.getMessage());
        return null;
      }
    }

    private static String shorten(String v) {
      return v.length() > 40 ? v.substring(0, 40) + "…" : v;
    }
  }
}
