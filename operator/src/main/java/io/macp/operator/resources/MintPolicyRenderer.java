package io.macp.operator.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.macp.issuer.security.AuthenticationMode;
import io.macp.issuer.security.ScopeCheck;
import io.macp.keyset.Durations;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MintClientSpec;
import io.macp.operator.model.v1alpha1.MintRateLimitSpec;
import io.macp.operator.model.v1alpha1.MintScopesSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders {@code spec.mint} as the issuer's mint policy file (docs/security.md), with the paths
 * where the issuer pods mount the tokens and their own ServiceAccount token. Pure; the same spec
 * always renders the same bytes, so an unchanged policy never rewrites its ConfigMap. Holds names
 * only: the bearer tokens stay in their Secret.
 */
public final class MintPolicyRenderer {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The token mount relative to the policy's own mount ({@code ../mint-tokens}): the issuer
   * resolves relative paths against the policy file's directory, so the same file works wherever
   * both volumes are mounted side by side, e.g. in embedded mode's replica directories.
   */
  static final String TOKENS_DIR = Path.of(IssuerNames.MINT_POLICY_MOUNT_PATH)
      .relativize(Path.of(IssuerNames.MINT_TOKENS_MOUNT_PATH)).toString();

  private MintPolicyRenderer() {}

  /** @throws IllegalArgumentException when a duration or the mode cannot be read */
  public static String render(MacpIssuer issuer) {
    MintSpec mint = IssuerMint.mint(issuer);
    AuthenticationMode mode = IssuerMint.authentication(issuer);
    ObjectNode root = JSON.createObjectNode();
    root.put("authentication", mode.policyName());
    if (mode == AuthenticationMode.SHARED_SECRET) {
      root.putObject("sharedSecret").put("tokensDir", TOKENS_DIR);
    } else if (mode == AuthenticationMode.SERVICE_ACCOUNT) {
      root.putObject("serviceAccount")
          .put("tokenFile", IssuerNames.SA_TOKEN_MOUNT_PATH + "/" + IssuerNames.SA_TOKEN_FILE)
          .put("caFile", IssuerNames.SA_TOKEN_MOUNT_PATH + "/" + IssuerNames.SA_CA_FILE)
          // callers request their projected tokens for the issuer's own URL
          .put("audience", IssuerEndpoints.issuerClaim(issuer));
    }
    ArrayNode clients = root.putArray("clients");
    for (MintClientSpec client : mint.getClients() == null ? List.<MintClientSpec>of() : mint.getClients()) {
      clients.add(client(client));
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the mint policy", e);
    }
  }

  private static ObjectNode client(MintClientSpec client) {
    ObjectNode c = JSON.createObjectNode();
    if (client.getServiceAccount() != null) {
      c.put("serviceAccount", client.getServiceAccount());
    }
    if (client.getSharedSecret() != null) {
      c.put("sharedSecret", client.getSharedSecret());
    }
    ArrayNode senders = c.putArray("senders");
    (client.getSenders() == null ? List.<String>of() : client.getSenders()).forEach(senders::add);
    if (client.getMaxTtl() != null) {
      c.put("maxTtl", canonicalDuration("maxTtl", client.getMaxTtl()));
    }
    MintScopesSpec scopes = client.getScopes();
    if (scopes != null) {
      ObjectNode s = c.putObject("scopes");
      putIfSet(s, ScopeCheck.CAN_START_SESSIONS, scopes.getCanStartSessions());
      putIfSet(s, ScopeCheck.IS_OBSERVER, scopes.getIsObserver());
      putIfSet(s, ScopeCheck.CAN_MANAGE_MODE_REGISTRY, scopes.getCanManageModeRegistry());
      if (scopes.getMaxOpenSessions() != null) {
        s.put(ScopeCheck.MAX_OPEN_SESSIONS, scopes.getMaxOpenSessions());
      }
      if (scopes.getAllowedModes() != null) {
        ArrayNode modes = s.putArray(ScopeCheck.ALLOWED_MODES);
        scopes.getAllowedModes().forEach(modes::add);
      }
    }
    MintRateLimitSpec rate = client.getRateLimit();
    if (rate != null) {
      ObjectNode r = c.putObject("rateLimit");
      if (rate.getRequestsPerSecond() != null) {
        r.put("requestsPerSecond", rate.getRequestsPerSecond());
      }
      if (rate.getBurst() != null) {
        r.put("burst", rate.getBurst());
      }
    }
    return c;
  }

  private static void putIfSet(ObjectNode node, String name, Boolean value) {
    if (value != null) {
      node.put(name, value);
    }
  }

  private static String canonicalDuration(String field, String text) {
    try {
      return Durations.format(Durations.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.mint.clients[]." + field + ": " + e.getMessage(), e);
    }
  }
}
