package io.macp.issuer.security.policy;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.files.FileContent;
import io.macp.issuer.files.PolledValue;
import io.macp.issuer.files.Sha256;
import io.macp.issuer.security.SecurityMetrics;
import io.macp.issuer.security.authn.AnonymousAuthenticator;
import io.macp.issuer.security.authn.Authenticator;
import io.macp.issuer.security.authn.ServiceAccountAuthenticator;
import io.macp.issuer.security.authn.SharedSecretAuthenticator;
import io.macp.issuer.security.authn.SharedSecretTokenSet;
import io.macp.issuer.security.authn.SharedSecretTokens;
import io.macp.issuer.security.authn.TokenReviewClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the policy file and, for SharedSecret, its token directory, and builds the
 * {@link ActivePolicy}. A change to either file set produces a new digest, so rotating a token in
 * the mounted Secret is picked up like a policy change. Skipped token files, and a token set that
 * admits no one, are logged at WARN and counted at each build (once per change, not per poll).
 */
public final class MintPolicySource
    implements PolledValue.Source<MintPolicySource.Inputs, ActivePolicy> {
  private static final Logger LOG = LoggerFactory.getLogger(MintPolicySource.class);
  static final String NO_TOKENS = "no_tokens";
  // A policy is a few KiB; a larger file is refused before it is read.
  static final long MAX_POLICY_BYTES = 1024 * 1024;

  /** The parsed policy and, for SharedSecret, the token digests. */
  public record Inputs(MintPolicy policy, SharedSecretTokens tokens) {}

  private final Path policyFile;
  private final Clock clock;
  private final SecurityMetrics metrics;

  public MintPolicySource(Path policyFile, Clock clock, SecurityMetrics metrics) {
    this.policyFile = policyFile;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public PolledValue.Snapshot<Inputs> read() throws Exception {
    FileContent file = FileContent.read(policyFile, MAX_POLICY_BYTES);
    Path base = policyFile.toAbsolutePath().getParent();
    MintPolicy policy =
        MintPolicyReader.read(new String(file.bytes(), StandardCharsets.UTF_8), base);
    MessageDigest digest = Sha256.newDigest();
    digest.update(file.identity().getBytes(StandardCharsets.UTF_8));
    SharedSecretTokens tokens = null;
    if (policy.authentication() == AuthenticationMode.SHARED_SECRET) {
      tokens = SharedSecretTokens.load(policy.sharedSecretDir());
      digest.update(tokens.contentDigest());
    }
    return new PolledValue.Snapshot<>(new Inputs(policy, tokens), Sha256.hex(digest.digest()));
  }

  @Override
  public ActivePolicy build(Inputs in) throws Exception {
    MintPolicy p = in.policy();
    Authenticator auth = switch (p.authentication()) {
      case NONE -> new AnonymousAuthenticator();
      case SHARED_SECRET -> {
        report(in.tokens(), p);
        yield new SharedSecretAuthenticator(new SharedSecretTokenSet(
            p.sharedSecretDir(), in.tokens(), changed -> report(changed, p)));
      }
      case SERVICE_ACCOUNT -> new ServiceAccountAuthenticator(
          new TokenReviewClient(p.tokenReview()), p.tokenReview(), clock);
    };
    return ActivePolicy.of(p, auth);
  }

  private void report(SharedSecretTokens tokens, MintPolicy p) {
    for (SharedSecretTokens.Problem problem : tokens.problems()) {
      LOG.warn("mint-policy: {}", problem.message());
      metrics.sharedSecretProblem(problem.kind());
    }
    if (tokens.entries().isEmpty()) {
      LOG.warn("mint-policy: the shared-secret directory {} holds no usable token: every"
          + " SharedSecret caller gets 401", p.sharedSecretDir());
      metrics.sharedSecretProblem(NO_TOKENS);
    }
  }
}
