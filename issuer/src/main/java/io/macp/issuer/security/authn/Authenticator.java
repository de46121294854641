package io.macp.issuer.security.authn;

import io.macp.issuer.api.AuthenticationMode;
/** Turns a request's credentials into a {@link CallerId}. Never throws on bad input. */
public interface Authenticator {
  AuthenticationMode mode();

  AuthOutcome authenticate(MintCaller caller);

  /**
   * Re-reads credentials kept in files, on every poll and whatever the state of the policy file,
   * so that removing a credential always revokes it. Never throws.
   */
  default void refresh() {}
}
