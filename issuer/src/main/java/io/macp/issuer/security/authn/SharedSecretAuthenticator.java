package io.macp.issuer.security.authn;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.files.Sha256;
import io.macp.issuer.security.policy.DenialReason;
import java.security.MessageDigest;

/**
 * Mode SharedSecret: the bearer token must equal one of the named tokens. Comparison is of
 * SHA-256 digests with {@link MessageDigest#isEqual} over every entry, so neither the length of a
 * token nor which entry matched shows in the timing.
 */
public final class SharedSecretAuthenticator extends BearerAuthenticator {
  private final SharedSecretTokenSet tokens;

  /** Over a fixed token set (tests). */
  public SharedSecretAuthenticator(SharedSecretTokens tokens) {
    this(new SharedSecretTokenSet(null, tokens, t -> {}));
  }

  /** Over the token directory as it is at each poll ({@link #refresh}). */
  public SharedSecretAuthenticator(SharedSecretTokenSet tokens) {
    this.tokens = tokens;
  }

  @Override
  public void refresh() {
    tokens.refresh();
  }

  @Override
  public AuthenticationMode mode() {
    return AuthenticationMode.SHARED_SECRET;
  }

  @Override
  protected AuthOutcome authenticateToken(String token) {
    byte[] presented = Sha256.of(token);
    String matched = null;
    for (SharedSecretTokens.Entry e : tokens.current().entries()) {
      if (MessageDigest.isEqual(presented, e.digest()) && matched == null) {
        matched = e.name();
      }
    }
    return matched == null ? AuthOutcome.failed(DenialReason.INVALID_CREDENTIALS)
        : AuthOutcome.authenticated(CallerId.sharedSecret(matched));
  }
}
