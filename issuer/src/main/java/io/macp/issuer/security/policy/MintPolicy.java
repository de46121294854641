package io.macp.issuer.security.policy;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.security.authn.TokenReviewSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The parsed mint policy file (see docs/security.md for the format).
 *
 * @param authentication how callers are authenticated
 * @param sharedSecretDir for SharedSecret: the directory of named tokens (a mounted Secret)
 * @param tokenReview for ServiceAccount: the TokenReview settings
 * @param clients the bindings; empty only with None, where it means "anyone may mint anything"
 */
public record MintPolicy(
    AuthenticationMode authentication,
    Path sharedSecretDir,
    TokenReviewSettings tokenReview,
    List<ClientBinding> clients) {

  public MintPolicy {
    clients = List.copyOf(clients);
  }
}
