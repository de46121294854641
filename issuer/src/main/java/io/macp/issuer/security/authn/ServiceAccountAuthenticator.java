package io.macp.issuer.security.authn;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.files.Sha256;
import io.macp.issuer.security.policy.DenialReason;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mode ServiceAccount: the bearer token is a projected ServiceAccount token with the issuer URL as
 * audience, checked by a TokenReview. Only users {@code system:serviceaccount:<ns>:<name>} are
 * accepted, as caller {@code sa:<ns>/<name>}. Results are cached by the SHA-256 of the token
 * (never the token): positive ones for {@code cacheTtl}, negative ones for
 * {@code negativeCacheTtl} (default: not at all). When the API server cannot answer, the caller
 * is refused (fail closed, 401). At most {@code maxConcurrentReviews} reviews run at once, because
 * any unauthenticated caller can make one: a caller that finds no free slot within
 * {@link #SLOT_WAIT_MILLIS} is refused with 401 ({@code tokenreview_busy}) and the API server is
 * not asked.
 */
public final class ServiceAccountAuthenticator extends BearerAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountAuthenticator.class);
  private static final String SA_PREFIX = "system:serviceaccount:";
  static final int MAX_CACHE_ENTRIES = 10_000;
  static final long SLOT_WAIT_MILLIS = 50;

  private record Cached(AuthOutcome outcome, long expiresAtMillis) {}

  private final TokenReviewClient client;
  private final TokenReviewSettings settings;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Semaphore reviewSlots;

  public ServiceAccountAuthenticator(
      TokenReviewClient client, TokenReviewSettings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.reviewSlots = new Semaphore(settings.maxConcurrentReviews());
  }

  @Override
  public AuthenticationMode mode() {
    return AuthenticationMode.SERVICE_ACCOUNT;
  }

  @Override
  protected AuthOutcome authenticateToken(String token) {
    String key = Sha256.hex(Sha256.of(token));
    long now = clock.millis();
    Cached hit = cache.get(key);
    if (hit != null && hit.expiresAtMillis() > now) {
      return hit.outcome();
    }
    AuthOutcome outcome;
    try {
      if (!reviewSlots.tryAcquire(SLOT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        // Not logged per caller (a flood would flood the log); the denial metric counts it.
        return AuthOutcome.failed(DenialReason.TOKEN_REVIEW_BUSY);
      }
      try {
        outcome = judge(client.review(token));
      } finally {
        reviewSlots.release();
      }
    } catch (TokenReviewClient.ReviewUnavailableException e) {
      LOG.warn("mint caller refused: {}", e.getMessage());
      return AuthOutcome.failed(DenialReason.TOKEN_REVIEW_UNAVAILABLE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AuthOutcome.failed(DenialReason.TOKEN_REVIEW_UNAVAILABLE);
    }
    long ttl = outcome.isAuthenticated() ? settings.cacheTtl().toMillis()
        : settings.negativeCacheTtl().toMillis();
    if (ttl > 0) {
      remember(key, new Cached(outcome, now + ttl), now);
    }
    return outcome;
  }

  private AuthOutcome judge(TokenReviewClient.Review review) {
    if (!review.authenticated()) {
      return AuthOutcome.failed(DenialReason.INVALID_CREDENTIALS);
    }
    if (!review.audiences().contains(settings.audience())) {
      return AuthOutcome.failed(DenialReason.AUDIENCE_MISMATCH);
    }
    String user = review.username();
    if (user == null || !user.startsWith(SA_PREFIX)) {
      return AuthOutcome.failed(DenialReason.NOT_A_SERVICE_ACCOUNT);
    }
    String[] nsAndName = user.substring(SA_PREFIX.length()).split(":", -1);
    if (nsAndName.length != 2) {
      return AuthOutcome.failed(DenialReason.NOT_A_SERVICE_ACCOUNT);
    }
    try {
      return AuthOutcome.authenticated(CallerId.serviceAccount(nsAndName[0], nsAndName[1]));
    } catch (IllegalArgumentException e) {
      return AuthOutcome.failed(DenialReason.NOT_A_SERVICE_ACCOUNT);
    }
  }

  private void remember(String key, Cached entry, long now) {
    if (cache.size() >= MAX_CACHE_ENTRIES) {
      cache.values().removeIf(c -> c.expiresAtMillis() <= now);
      if (cache.size() >= MAX_CACHE_ENTRIES) {
        cache.clear(); // a flood of distinct tokens: cheaper to start over than to rank entries
      }
    }
    cache.put(key, entry);
  }
}
