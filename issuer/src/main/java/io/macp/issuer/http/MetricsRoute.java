package io.macp.issuer.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.macp.issuer.IssuerMetrics;

/** {@code GET /metrics}: the Prometheus text format of this instance's registry. */
public final class MetricsRoute implements Handler {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final IssuerMetrics metrics;

  public MetricsRoute(IssuerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.contentType(CONTENT_TYPE).result(metrics.scrape());
  }
}
