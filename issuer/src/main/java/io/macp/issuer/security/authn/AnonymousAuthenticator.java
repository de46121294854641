package io.macp.issuer.security.authn;

import io.macp.issuer.api.AuthenticationMode;
/** Mode None: every caller is {@code anonymous}, whatever it sends. */
public final class AnonymousAuthenticator implements Authenticator {
  @Override
  public AuthenticationMode mode() {
    return AuthenticationMode.NONE;
  }

  @Override
  public AuthOutcome authenticate(MintCaller caller) {
    return AuthOutcome.authenticated(CallerId.anonymous());
  }
}
