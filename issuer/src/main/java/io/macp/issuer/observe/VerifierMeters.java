package io.macp.issuer.observe;

import io.macp.issuer.signing.CurrentKeySet;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The observation's meters, none of which names a client (addresses stay off /metrics):
 * <ul>
 *   <li>{@code macp_issuer_verifiers_holding_key{kid}}: active clients (last fetch within 2×C)
 *       whose JWKS holds that kid, for each kid this replica publishes now; the kid label is
 *       bounded by the keys in the JWKS (3 with the defaults);
 *   <li>{@code macp_issuer_verifiers_active}: active clients;
 *   <li>{@code macp_issuer_verifiers_tracked}: clients in the table (at most the cap);
 *   <li>{@code macp_issuer_verifiers_evictions_total}: clients forgotten because the table was
 *       full (if it grows, raise MACP_AUTH_OBSERVE_MAX_CLIENTS or look for a client flood).
 * </ul>
 */
public final class VerifierMeters {
  private final VerifierObservations table;
  private final CurrentKeySet keys;
  private final Clock clock;
  private final MultiGauge holding;

  public VerifierMeters(
      VerifierObservations table, CurrentKeySet keys, Clock clock, MeterRegistry registry) {
    this.table = table;
    this.keys = keys;
    this.clock = clock;
    this.holding = MultiGauge.builder("macp.issuer.verifiers.holding.key")
        .description("Active JWKS clients (fetched within 2x the verifier cache TTL) whose JWKS "
            + "holds the kid")
        .register(registry);
    Gauge.builder("macp.issuer.verifiers.active", () -> table.activeAt(clock.instant()).size())
        .description("JWKS clients that fetched within 2x the verifier cache TTL")
        .register(registry);
    Gauge.builder("macp.issuer.verifiers.tracked", table, VerifierObservations::size)
        .description("JWKS clients remembered (at most MACP_AUTH_OBSERVE_MAX_CLIENTS)")
        .register(registry);
    FunctionCounter.builder("macp.issuer.verifiers.evictions", table,
            VerifierObservations::evictions)
        .description("JWKS clients forgotten because the table was full")
        .register(registry);
  }

  /** Recomputes the per-kid gauge; called before each scrape. */
  public void refresh() {
    Instant now = clock.instant();
    Map<String, Integer> counts = table.holdersAt(now, keys.viewAt(now).publishedKids());
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach((kid, n) -> rows.add(MultiGauge.Row.of(Tags.of("kid", kid), n)));
    holding.register(rows, true);
  }
}
