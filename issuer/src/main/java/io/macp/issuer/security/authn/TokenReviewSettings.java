package io.macp.issuer.security.authn;

import io.macp.issuer.api.MintPolicyRules;
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

  public static final String DEFAULT_API_SERVER = MintPolicyRules.DEFAULT_API_SERVER;
  public static final String DEFAULT_TOKEN_FILE = MintPolicyRules.DEFAULT_TOKEN_FILE;
  public static final String DEFAULT_CA_FILE = MintPolicyRules.DEFAULT_CA_FILE;
  public static final Duration MAX_CACHE_TTL = MintPolicyRules.MAX_CACHE_TTL;
  public static final Duration MAX_NEGATIVE_CACHE_TTL = MintPolicyRules.MAX_NEGATIVE_CACHE_TTL;
  public static final int DEFAULT_MAX_CONCURRENT_REVIEWS = MintPolicyRules.DEFAULT_MAX_CONCURRENT_REVIEWS;
  public static final int MAX_CONCURRENT_REVIEWS = MintPolicyRules.MAX_CONCURRENT_REVIEWS;

  public TokenReviewSettings {
    MintPolicyRules.checkTokenReview(apiServer, audience, cacheTtl, negativeCacheTtl, timeout,
        maxConcurrentReviews);
  }
}
