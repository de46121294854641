package io.macp.issuer.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.macp.issuer.IssuerMetrics;
import io.macp.issuer.observe.FetchRecorder;
import io.macp.issuer.signing.CurrentKeySet;
import io.macp.issuer.signing.JwksDocument;
import io.macp.issuer.signing.KeyView;
import java.time.Instant;
import io.macp.keyset.IssuerSettings;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code GET /.well-known/jwks.json}: the keys public now, as pre-serialized bytes with a strong
 * ETag. Verifiers may cache it for at most the cache TTL the rotation timeline assumes (the key
 * set's {@code jwksCacheTtl}, else MACP_AUTH_VERIFIER_CACHE_TTL).
 */
public final class JwksRoute implements Handler {
  private final CurrentKeySet keys;
  private final Clock clock;
  private final IssuerMetrics metrics;
  private final Duration fallbackMaxAge;
  private final FetchRecorder fetches;

  /**
   * @param fallbackMaxAge the verifier cache TTL of the env's rotation policy: the max-age when the
   *     key set carries no {@code jwksCacheTtl} (the operator's key sets do, read live)
   */
  public JwksRoute(
      CurrentKeySet keys, Clock clock, IssuerMetrics metrics, Duration fallbackMaxAge) {
    this(keys, clock, metrics, fallbackMaxAge, FetchRecorder.OFF);
  }

  /**
   * @param fetches told of every answer, 200 or 304: after either, the client holds this JWKS
   *     (the verifier-aware activation gate, docs/verifiers.md)
   */
  public JwksRoute(CurrentKeySet keys, Clock clock, IssuerMetrics metrics,
      Duration fallbackMaxAge, FetchRecorder fetches) {
    this.fetches = fetches;
    this.keys = keys;
    this.clock = clock;
    this.metrics = metrics;
    this.fallbackMaxAge = fallbackMaxAge;
  }

  @Override
  public void handle(Context ctx) {
    Instant now = clock.instant();
    KeyView view = keys.viewAt(now);
    JwksDocument jwks = view.jwks();
    ctx.header("ETag", jwks.etag());
    Duration maxAge =
        keys.keySet().settings().map(IssuerSettings::jwksCacheTtl).orElse(fallbackMaxAge);
    ctx.header("Cache-Control", "public, max-age=" + Math.max(0, maxAge.toSeconds()));
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
