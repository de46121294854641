package io.macp.issuer.security;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the issuer asks the API server to validate a caller's ServiceAccount token.
 *
 * @param apiServer e.g. {@code https://kubernetes.default.svc}
 * @param tokenFile the issuer pod's own ServiceAccount token (re-read per review: it is rotated)
 * @param caFile CA bundle of the API server, or null for the JDK's trust store
 * @param audience the audience callers' tokens must carry: the issuer URL
 * @param cacheTtl how long a positive review is reused
 * @param negativeCacheTtl how long a negative review is reused (zero: never)
 * @param timeout connect and request timeout of one review
 * @param maxConcurrentReviews reviews in flight at once; callers beyond it are refused (401)
 */
public record TokenReviewSettings(
    URI apiServer,
    Path tokenFile,
    Path caFile,
    String audience,
    Duration cacheTtl,
    Duration negativeCacheTtl,
    Duration timeout,
    int maxConcurrentReviews) {

  public static final String DEFAULT_API_SERVER = "https://kubernetes.default.svc";
  public static final String DEFAULT_TOKEN_FILE =
      "/var/run/secrets/kubernetes.io/serviceaccount/token";
  public static final String DEFAULT_CA_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  public static final Duration MAX_CACHE_TTL = Duration.ofMinutes(5);
  public static final Duration MAX_NEGATIVE_CACHE_TTL = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CONCURRENT_REVIEWS = 8;
  public static final int MAX_CONCURRENT_REVIEWS = 256;

  public TokenReviewSettings {
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("serviceAccount.audience (the issuer URL) is required");
    }
    String scheme = apiServer.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new IllegalArgumentException("serviceAccount.apiServer must be an http(s) URL");
    }
    if (cacheTtl.isNegative() || cacheTtl.compareTo(MAX_CACHE_TTL) > 0) {
      throw new IllegalArgumentException("serviceAccount.cacheTtl must be between 0s and 5m");
    }
    if (negativeCacheTtl.isNegative() || negativeCacheTtl.compareTo(MAX_NEGATIVE_CACHE_TTL) > 0) {
      throw new IllegalArgumentException(
          "serviceAccount.negativeCacheTtl must be between 0s and 10s");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("serviceAccount.timeout must be positive");
    }
    if (maxConcurrentReviews < 1 || maxConcurrentReviews > MAX_CONCURRENT_REVIEWS) {
      throw new IllegalArgumentException("serviceAccount.maxConcurrentReviews must be between 1"
          + " and " + MAX_CONCURRENT_REVIEWS);
    }
  }
}
