package io.macp.issuer.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Decides whether a mint request that passed the contract's validation may get a token. The
 * reference lets anyone mint anything; a gate is where authentication, sender binding, scope
 * ceilings and rate limits plug in. Called on the request thread for every valid mint, so it must
 * be thread-safe and cheap; it must not throw for bad caller input (deny instead).
 */
@FunctionalInterface
public interface MintGate extends AutoCloseable {

  /**
   * Judges the request's headers before its body is read, so that a caller without valid
   * credentials costs no body read, no parse and no thread held by a slow body. A denial ends the
   * request (its body is never read); null lets it go on to {@link #decide}. The default admits
   * everyone (no authentication on headers).
   *
   * @param ctx the HTTP exchange; only headers and connection attributes may be used
   */
  default MintDecision.Deny admit(Context ctx) {
    return null;
  }

  /**
   * Who {@link #admit} let in, for the audit line of a request the contract's validation then
   * refuses (400, 413); {@code anonymous} for a gate that authenticates nobody on headers.
   */
  default String admittedCaller(Context ctx) {
    return MintDecision.ANONYMOUS;
  }

  /**
   * @param ctx the HTTP exchange: headers (e.g. Authorization), {@code ctx.ip()}, TLS attributes.
   *     Read-only use: the mint route writes the response.
   * @param request the validated request
   */
  MintDecision decide(Context ctx, MintRequest request);

  /** Releases watchers or threads the gate owns; called once when the server closes. */
  @Override
  default void close() {}

  /** The reference's behaviour: every valid request is allowed, caller {@code anonymous}. */
  static MintGate allowAll() {
    return (ctx, request) -> MintDecision.allow(MintDecision.ANONYMOUS);
  }

  /** Builds a gate for one server instance, given that instance's own meter registry. */
  @FunctionalInterface
  interface Factory {
    MintGate create(MeterRegistry registry);

    static Factory allowAll() {
      return registry -> MintGate.allowAll();
    }
  }
}
