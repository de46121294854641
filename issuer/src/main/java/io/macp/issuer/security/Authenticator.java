package io.macp.issuer.security;

import io.macp.issuer.api.AuthenticationMode;
/** Turns a request's credentials into a {@link CallerId}. Never throws on bad input. */
public interface Authenticator {
  AuthenticationMode mode();

  AuthOutcome authenticate(MintCaller caller);
}
