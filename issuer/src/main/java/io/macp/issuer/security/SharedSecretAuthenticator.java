package io.macp.issuer.security;

import java.security.MessageDigest;
import java.util.Optional;

/**
 * Mode SharedSecret: the bearer token must equal one of the named tokens. Comparison is of
 * SHA-256 digests with {@link MessageDigest#isEqual} over every entry, so neither the length of a
 * token nor which entry matched shows in the timing.
 */
public final class SharedSecretAuthenticator implements Authenticator {
  private final SharedSecretTokens tokens;

  public SharedSecretAuthenticator(SharedSecretTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public AuthenticationMode mode() {
    return AuthenticationMode.SHARED_SECRET;
  }

  @Override
  public AuthOutcome authenticate(MintCaller caller) {
    if (caller.authorization() == null) {
      return AuthOutcome.failed(DenialReason.MISSING_CREDENTIALS);
    }
    Optional<String> token = BearerToken.parse(caller.authorization());
    if (token.isEmpty()) {
      return AuthOutcome.failed(DenialReason.MALFORMED_CREDENTIALS);
    }
    byte[] presented = Sha256.of(token.get());
    String matched = null;
    for (SharedSecretTokens.Entry e : tokens.entries()) {
      if (MessageDigest.isEqual(presented, e.digest()) && matched == null) {
        matched = e.name();
      }
    }
    return matched == null ? AuthOutcome.failed(DenialReason.INVALID_CREDENTIALS)
        : AuthOutcome.authenticated(CallerId.sharedSecret(matched));
  }
}
