package io.macp.operator.reconciler;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.operator.policy.IssuerPolicy;

/**
 * What the MintSecured condition says about a valid spec, and whether the issuer pods may be
 * rolled out with it. Pure.
 *
 * @param secured callers must authenticate and the referenced Secrets are usable
 * @param reason the condition's reason
 * @param message for a person: the danger, or what to fix
 * @param blocksRollout a referenced Secret is unusable: nothing running is changed
 */
public record MintState(boolean secured, String reason, String message, boolean blocksRollout) {
  public static final String REASON_AUTHENTICATED = "Authenticated";
  public static final String REASON_AUTHENTICATION_NONE = "AuthenticationNone";
  public static final String REASON_SECRET_UNUSABLE = "MintSecretUnusable";

  /** @param mint spec.mint as validated ({@link IssuerPolicy#mint()}) */
  public static MintState of(IssuerPolicy.MintSettings mint, MintSecretCheck.Result secrets) {
    if (!secrets.blocking().isEmpty()) {
      return new MintState(false, REASON_SECRET_UNUSABLE,
          String.join("; ", secrets.blocking()) + ". The issuer pods were not changed and keep"
              + " their current configuration until this is fixed (re-checked every 30s)",
          true);
    }
    String notes = secrets.notes().isEmpty() ? "" : ". Note: " + String.join("; ", secrets.notes());
    AuthenticationMode mode = mint.authentication();
    String transport = (mint.tlsEnabled() ? "HTTPS" : "plain HTTP (no mint.tls)")
        + (mint.networkPolicyWanted()
            ? ", NetworkPolicy from mint.allowedFrom"
            : ", no NetworkPolicy (no mint.allowedFrom)");
    if (mode == AuthenticationMode.NONE) {
      return new MintState(false, REASON_AUTHENTICATION_NONE,
          "authentication None: anyone who can reach the issuer port can mint a token for any"
              + " sender with any scopes; set spec.mint.authentication to SharedSecret or"
              + " ServiceAccount and bind clients (docs/security.md). Transport: " + transport,
          false);
    }
    return new MintState(true, REASON_AUTHENTICATED,
        "callers authenticate with " + mode.policyName() + "; "
            + mint.clients() + " client(s) bound. Transport: " + transport
            + notes,
        false);
  }
}
