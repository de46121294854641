package io.macp.operator.policy;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.api.IssuerMounts;
import io.macp.issuer.api.MintPolicyDocument;
import io.macp.keyset.Durations;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MintClientSpec;
import io.macp.operator.model.v1alpha1.MintRateLimitSpec;
import io.macp.operator.model.v1alpha1.MintScopesSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spec.mint} as the issuer's mint policy ({@link MintPolicyDocument}, docs/security.md),
 * with the paths where the issuer pods mount the tokens and their own ServiceAccount token. Pure;
 * the same spec always renders the same bytes, so an unchanged policy never rewrites its
 * ConfigMap. Holds names only: the bearer tokens stay in their Secret.
 */
public final class MintPolicyRenderer {
  /**
   * The token mount relative to the policy's own mount ({@code ../mint-tokens}): the issuer
   * resolves relative paths against the policy file's directory, so the same file works wherever
   * both volumes are mounted side by side, e.g. in the dev cluster's replica directories.
   */
  static final String TOKENS_DIR = Path.of(IssuerMounts.MINT_POLICY_MOUNT_PATH)
      .relativize(Path.of(IssuerMounts.MINT_TOKENS_MOUNT_PATH)).toString();

  private MintPolicyRenderer() {}

  /**
   * The policy file's text ({@link MintPolicyDocument#toJson()}) of a spec, valid or not
   * ({@link IssuerSpecValidator#renderMintPolicy}); a reconcile takes it from
   * {@code IssuerPolicy.mintPolicyJson()}.
   */
  public static String render(MacpIssuer issuer) {
    return IssuerSpecValidator.renderMintPolicy(issuer);
  }

  /**
   * The policy document, not yet validated ({@link MintPolicyDocument#validate()}).
   *
   * @param mint spec.mint
   * @param issuerClaim the issuer's {@code iss}: ServiceAccount-mode callers request their
   *     projected tokens for it
   * @throws IllegalArgumentException when a duration or the mode cannot be read
   */
  public static MintPolicyDocument document(MintSpec mint, String issuerClaim) {
    AuthenticationMode mode = AuthenticationMode.fromPolicyName(mint.getAuthentication());
    MintPolicyDocument.SharedSecret sharedSecret = mode == AuthenticationMode.SHARED_SECRET
        ? new MintPolicyDocument.SharedSecret(TOKENS_DIR) : null;
    MintPolicyDocument.ServiceAccount serviceAccount = mode == AuthenticationMode.SERVICE_ACCOUNT
        ? new MintPolicyDocument.ServiceAccount(null,
            IssuerMounts.SA_TOKEN_MOUNT_PATH + "/" + IssuerMounts.SA_TOKEN_FILE_NAME,
            IssuerMounts.SA_TOKEN_MOUNT_PATH + "/" + IssuerMounts.SA_CA_FILE_NAME,
            // callers request their projected tokens for the issuer's own URL
            issuerClaim, null, null, null, null)
        : null;
    List<MintPolicyDocument.Client> clients = new ArrayList<>();
    for (MintClientSpec client : mint.getClients() == null ? List.<MintClientSpec>of() : mint.getClients()) {
      clients.add(client(client));
    }
    return new MintPolicyDocument(mode, sharedSecret, serviceAccount, clients);
  }

  private static MintPolicyDocument.Client client(MintClientSpec client) {
    MintScopesSpec s = client.getScopes();
    MintPolicyDocument.Scopes scopes = s == null ? null
        : new MintPolicyDocument.Scopes(s.getCanStartSessions(), s.getIsObserver(),
            s.getCanManageModeRegistry(), s.getMaxOpenSessions(), s.getAllowedModes());
    MintRateLimitSpec r = client.getRateLimit();
    MintPolicyDocument.RateLimit rate = r == null ? null
        : new MintPolicyDocument.RateLimit(r.getRequestsPerSecond(), r.getBurst());
    return new MintPolicyDocument.Client(
        client.getServiceAccount(),
        client.getSharedSecret(),
        null,
        client.getSenders() == null ? List.of() : client.getSenders(),
        client.getMaxTtl() == null ? null : canonicalDuration("maxTtl", client.getMaxTtl()),
        scopes,
        rate);
  }

  private static String canonicalDuration(String field, String text) {
    try {
      return Durations.format(Durations.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.mint.clients[]." + field + ": " + e.getMessage(), e);
    }
  }
}
