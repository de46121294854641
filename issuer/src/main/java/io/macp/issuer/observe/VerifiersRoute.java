package io.macp.issuer.observe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.macp.issuer.IssuerJson;
import io.macp.issuer.http.JsonAnswers;
import io.macp.issuer.http.JsonErrorHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.TreeSet;

/**
 * {@code GET /verifiers} on the mint port only (never the public port): the per-client table of
 * JWKS fetches, for the operator's activation gate. Answers 404 unless observation is on and
 * MACP_AUTH_OBSERVER_TOKEN_FILE is set, 401 without the right bearer token. The body:
 *
 * <pre>{"now":"…","activeWindowSeconds":600,"maxClients":4096,"evictions":0,"clients":[
 *   {"address":"10.0.3.7","userAgent":"macp-runtime/1.4","lastFetch":"…","previousFetch":"…",
 *    "etag":"\"…\"","kids":["k1","k2"],"fetches":12}]}</pre>
 *
 * {@code previousFetch} is this replica's fetch from the client before {@code lastFetch}
 * ({@code null} after its first): the operator merges the replicas' fetch times into the
 * client's refresh interval.
 *
 * Client addresses can be personal data in some jurisdictions (docs/verifiers.md); they are never
 * logged.
 */
public final class VerifiersRoute implements Handler {
  private final VerifierObservations table;
  private final ObserverToken token;
  private final Clock clock;

  /** @param table null when observation is off; @param token null when no token file is set */
  public VerifiersRoute(VerifierObservations table, ObserverToken token, Clock clock) {
    this.table = table;
    this.token = token;
    this.clock = clock;
  }

  @Override
  public void handle(Context ctx) throws Exception {
    ctx.header("Cache-Control", "no-store");
    if (table == null || token == null) {
      JsonAnswers.error(ctx, 404, JsonErrorHandler.message(404));
      return;
    }
    if (!token.admits(ctx.header("Authorization"))) {
      ctx.header("WWW-Authenticate", "Bearer");
      // the same body as a refused mint: nothing about what was expected
      JsonAnswers.error(ctx, 401, "unauthenticated");
      return;
    }
    JsonAnswers.json(ctx, 200, body(clock.instant()));
  }

  byte[] body(Instant now) throws Exception {
    ObjectNode root = IssuerJson.MAPPER.createObjectNode();
    root.put("now", now.toString());
    root.put("activeWindowSeconds", table.activeWindow().toSeconds());
    root.put("maxClients", table.maxClients());
    root.put("evictions", table.evictions());
    ArrayNode clients = root.putArray("clients");
    for (VerifierFetch f : table.snapshot()) {
      ObjectNode c = clients.addObject();
      c.put("address", f.client().address());
      c.put("userAgent", f.client().userAgent());
      c.put("lastFetch", f.lastFetch().toString());
      if (f.previousFetch() == null) {
        c.putNull("previousFetch");
      } else {
        c.put("previousFetch", f.previousFetch().toString());
      }
      c.put("etag", f.etag());
      ArrayNode kids = c.putArray("kids");
      new TreeSet<>(f.kids()).forEach(kids::add);
      c.put("fetches", f.fetches());
    }
    return IssuerJson.MAPPER.writeValueAsBytes(root);
  }
}
