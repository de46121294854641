package io.macp.issuer.security.authn;

import io.macp.issuer.security.policy.DenialReason;
import java.util.Optional;

/**
 * An authenticator whose credential is a bearer token: the header checks are the same for every
 * mode, so they live here, and a mode only judges a well-formed token.
 */
abstract class BearerAuthenticator implements Authenticator {
  @Override
  public final AuthOutcome authenticate(MintCaller caller) {
    if (caller.authorization() == null) {
      return AuthOutcome.failed(DenialReason.MISSING_CREDENTIALS);
    }
    Optional<String> token = BearerToken.parse(caller.authorization());
    if (token.isEmpty()) {
      return AuthOutcome.failed(DenialReason.MALFORMED_CREDENTIALS);
    }
    return authenticateToken(token.get());
  }

  /** Judges a token taken from a well-formed {@code Authorization: Bearer} header. */
  protected abstract AuthOutcome authenticateToken(String token);
}
