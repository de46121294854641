package io.macp.issuer.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.macp.issuer.IssuerMetrics;
import io.macp.issuer.observe.FetchRecorder;
import io.macp.issuer.signing.CurrentKeySet;
import io.macp.issuer.signing.JwksDocument;
import io.macp.issuer.signing.KeyView;
import java.time.Instant;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code GET /.well-known/jwks.json}: the keys public now, as pre-serialized bytes with a strong
 * ETag. Verifiers may cache it for at most the cache TTL the rotation timeline assumes.
 */
public final class JwksRoute implements Handler {
  private final CurrentKeySet keys;
  private final Clock clock;
  private final IssuerMetrics metrics;
  private final String cacheControl;
  private final FetchRecorder fetches;

  /** @param maxAge the verifier cache TTL of the rotation policy: the most a verifier may cache */
  public JwksRoute(CurrentKeySet keys, Clock clock, IssuerMetrics metrics, Duration maxAge) {
    this(keys, clock, metrics, maxAge, FetchRecorder.OFF);
  }

  /**
   * @param fetches told of every answer, 200 or 304: after either, the client holds this JWKS
   *     (the verifier-aware activation gate, docs/verifiers.md)
   */
  public JwksRoute(CurrentKeySet keys, Clock clock, IssuerMetrics metrics, Duration maxAge,
      FetchRecorder fetches) {
    this.fetches = fetches;
    this.keys = keys;
    this.clock = clock;
    this.metrics = metrics;
    this.cacheControl = "public, max-age=" + Math.max(0, maxAge.toSeconds());
  }

  @Override
  public void handle(Context ctx) {
    Instant now = clock.instant();
    KeyView view = keys.viewAt(now);
    JwksDocument jwks = view.jwks();
    ctx.header("ETag", jwks.etag());
    ctx.header("Cache-Control", cacheControl);
    if (EntityTags.matches(ctx.header("If-None-Match"), jwks.etag())) {
      ctx.status(304);
      metrics.jwksServed(true);
      fetches.record(ctx, now, jwks.etag(), view.publishedKids());
      return;
    }
    JsonAnswers.json(ctx, 200, jwks.bytes());
    metrics.jwksServed(false);
    fetches.record(ctx, now, jwks.etag(), view.publishedKids());
  }
}
