package io.macp.issuer.security.authn;

import io.macp.issuer.security.policy.DenialReason;

/** The result of authenticating one caller: an identity, or the reason there is none. */
public record AuthOutcome(CallerId caller, DenialReason failure) {
  public static AuthOutcome authenticated(CallerId caller) {
    return new AuthOutcome(caller, null);
  }

  public static AuthOutcome failed(DenialReason reason) {
    return new AuthOutcome(null, reason);
  }

  public boolean isAuthenticated() {
    return caller != null;
  }
}
