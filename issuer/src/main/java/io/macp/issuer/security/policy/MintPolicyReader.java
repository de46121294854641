package io.macp.issuer.security.policy;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.api.MintPolicyDocument;
import io.macp.issuer.security.InvalidPolicyException;
import io.macp.issuer.security.authn.CallerId;
import io.macp.issuer.security.authn.TokenReviewSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the mint policy file: {@link MintPolicyDocument#parse} and {@link
 * MintPolicyDocument#validate} (the format and every rule, shared with the operator), then the
 * issuer's own types. Relative paths are resolved against the policy file's directory.
 */
public final class MintPolicyReader {
  private MintPolicyReader() {}

  /** @throws InvalidPolicyException naming what is wrong; the message never quotes a token */
  public static MintPolicy read(String json, Path baseDir) throws InvalidPolicyException {
    MintPolicyDocument doc;
    try {
      doc = MintPolicyDocument.parse(json);
    } catch (IllegalArgumentException e) {
      throw new InvalidPolicyException(e.getMessage());
    }
    try {
      doc.validate();
      return policy(doc, baseDir);
    } catch (IllegalArgumentException e) {
      throw new InvalidPolicyException("mint policy: " + e.getMessage());
    }
  }

  private static MintPolicy policy(MintPolicyDocument doc, Path baseDir) {
    AuthenticationMode mode = doc.authentication();
    Path secretDir = mode == AuthenticationMode.SHARED_SECRET
        ? baseDir.resolve(doc.sharedSecret().tokensDir()) : null;
    TokenReviewSettings review = null;
    if (mode == AuthenticationMode.SERVICE_ACCOUNT) {
      MintPolicyDocument.ServiceAccount s = doc.serviceAccount();
      URI apiServer = s.apiServerUri();
      String ca = s.caFileOrDefault();
      review = new TokenReviewSettings(apiServer, baseDir.resolve(s.tokenFileOrDefault()),
          ca == null ? null : baseDir.resolve(ca), s.audience(), s.cacheTtlOrDefault(),
          s.negativeCacheTtlOrDefault(), s.timeoutOrDefault(), s.maxConcurrentReviewsOrDefault());
    }
    List<ClientBinding> clients = new ArrayList<>();
    for (MintPolicyDocument.Client c : doc.clients()) {
      clients.add(client(c));
    }
    return new MintPolicy(mode, secretDir, review, clients);
  }

  private static ClientBinding client(MintPolicyDocument.Client c) {
    CallerId caller = c.serviceAccount() != null ? CallerId.serviceAccount(c.serviceAccount())
        : c.sharedSecret() != null ? CallerId.sharedSecret(c.sharedSecret()) : CallerId.anonymous();
    List<SenderPattern> senders = c.senders().stream().map(SenderPattern::compile).toList();
    MintPolicyDocument.Scopes s = c.scopes();
    ScopeCeiling scopes = s == null ? ScopeCeiling.unlimited()
        : new ScopeCeiling(s.canStartSessions(), s.isObserver(), s.canManageModeRegistry(),
            s.maxOpenSessions(), s.allowedModes());
    RateLimit rate = c.rateLimit() == null ? null
        : new RateLimit(c.rateLimit().requestsPerSecond(), c.rateLimit().burst());
    return new ClientBinding(caller, senders, c.maxTtlValue(), scopes, rate);
  }
}
