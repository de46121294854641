package io.macp.issuer.http;

import io.javalin.http.Context;
import io.macp.issuer.signing.CurrentKeySet;
import io.macp.issuer.signing.KeyView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code GET /healthz} (the process answers) and {@code GET /readyz} (it can mint now). */
public final class HealthRoutes {
  private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
  static final String DRAINING = "shutting down";
  static final String NO_SIGNER = "no signing key is active now";

  private final CurrentKeySet keys;
  private final Clock clock;
  private final BooleanSupplier draining;

  public HealthRoutes(CurrentKeySet keys, Clock clock, BooleanSupplier draining) {
    this.keys = keys;
    this.clock = clock;
    this.draining = draining;
  }

  public void healthz(Context ctx) {
    JsonAnswers.json(ctx, 200, OK);
  }

  public void readyz(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    Map<String, Object> body = new LinkedHashMap<>();
    KeyView view = keys.viewAt(clock.instant());
    if (draining.getAsBoolean()) {
      body.put("ready", false);
      body.put("reason", DRAINING);
    } else if (view.signer() == null) {
      body.put("ready", false);
      body.put("reason", NO_SIGNER);
    } else {
      body.put("ready", true);
      body.put("kid", view.signer().kid());
    }
    JsonAnswers.json(ctx, Boolean.TRUE.equals(body.get("ready")) ? 200 : 503,
        JsonAnswers.bytes(body));
  }
}
