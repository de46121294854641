package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.macp.issuer.api.AuthenticationMode;
import java.util.List;

/** Who may mint which tokens, and how callers reach the issuer (docs/security.md). */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "self.authentication != 'SharedSecret' || has(self.sharedSecretRef)",
    message = "mint.sharedSecretRef (the Secret holding the bearer tokens) is required with"
        + " authentication SharedSecret")
@ValidationRule(
    value = "self.authentication == 'SharedSecret' || !has(self.sharedSecretRef)",
    message = "mint.sharedSecretRef is only used with authentication SharedSecret")
@ValidationRule(
    value = "self.authentication == 'None' || (has(self.clients) && size(self.clients) > 0)",
    message = "mint.clients must bind at least one caller with authentication SharedSecret or"
        + " ServiceAccount, or every caller is forbidden")
@ValidationRule(
    value = "!has(self.clients) || self.clients.all(c, !has(c.serviceAccount)"
        + " || self.authentication == 'ServiceAccount')",
    message = "mint.clients[].serviceAccount needs authentication ServiceAccount")
@ValidationRule(
    value = "!has(self.clients) || self.clients.all(c, !has(c.sharedSecret)"
        + " || self.authentication == 'SharedSecret')",
    message = "mint.clients[].sharedSecret needs authentication SharedSecret")
@ValidationRule(
    value = "!has(self.clients) || self.clients.all(c, self.clients.exists_one(d,"
        + " (has(c.serviceAccount) && has(d.serviceAccount) && c.serviceAccount == d.serviceAccount)"
        + " || (has(c.sharedSecret) && has(d.sharedSecret) && c.sharedSecret == d.sharedSecret)))",
    message = "mint.clients binds the same caller twice; merge the two entries")
public class MintSpec {
  @JsonPropertyDescription(
      "How the mint endpoint (POST /tokens) authenticates callers. None: anyone who can reach"
          + " the port mints any sender with any scopes, like the MACP reference service; kept"
          + " as the default for compatibility, and reported by a Warning event"
          + " (MintUnauthenticated) and the condition MintSecured=False. SharedSecret: callers"
          + " send Authorization: Bearer <token>, tokens from the Secret sharedSecretRef."
          + " ServiceAccount: callers send their projected ServiceAccount token with the"
          + " issuer's iss as audience, checked with the TokenReview API.")
  // the schema's enum: the contract's modes, spelled as in the policy file
  @SchemaFrom(type = AuthenticationMode.class)
  @Default("None")
  @JsonSetter(nulls = Nulls.SKIP)
  private String authentication = "None";

  @JsonPropertyDescription(
      "SharedSecret only: name of a Secret in the issuer's namespace. Each data key is a"
          + " client name, or <client>.<suffix> for a second token of the same client during a"
          + " rotation; each value is a bearer token (16 or more characters). Mounted into the"
          + " issuer pods as a directory; edits are picked up without a restart.")
  @Size(min = 1, max = 253)
  @Pattern(MintSpec.DNS_SUBDOMAIN)
  private String sharedSecretRef;

  @JsonPropertyDescription(
      "Each caller identity and what it may mint: sender patterns, TTL ceiling, scope ceiling"
          + " and rate limit. A caller that authenticates but is not listed is forbidden (403)."
          + " Required with SharedSecret and ServiceAccount; empty with None.")
  @Size(max = MAX_CLIENTS)
  private List<MintClientSpec> clients;

  @JsonPropertyDescription(
      "When set, a NetworkPolicy <name> admits traffic to the mint port (3200) only from these"
          + " peers (list your minters); the public port (3201: JWKS, discovery, health,"
          + " metrics) stays open to every source, so verifiers, scrapers and probes need no"
          + " entry. While rotation.activationGate is Observe or Hold, the operator's own pods"
          + " are admitted to the mint port too (GET /verifiers). Unset: no NetworkPolicy; an"
          + " empty list is refused.")
  @Size(min = 1, max = MAX_ALLOWED_FROM)
  private List<MintPeerSpec> allowedFrom;

  @JsonPropertyDescription(
      "HTTPS for the issuer from a kubernetes.io/tls Secret (e.g. one cert-manager writes);"
          + " renewals are picked up without a restart. With rotation.activationGate on, the"
          + " operator reads the pods over HTTPS only after verifying their certificate against"
          + " the Secret's ca.crt (else the JVM trust store) and the name"
          + " <name>.<namespace>.svc. Unset: plain HTTP.")
  private MintTlsSpec tls;

  public static final int MAX_CLIENTS = 64;
  public static final int MAX_ALLOWED_FROM = 32;

  /** A DNS-1123 subdomain: what Kubernetes accepts as a Secret name. */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  public String getAuthentication() { return authentication; }
  public void setAuthentication(String authentication) { this.authentication = authentication != null ? authentication : "None"; }
  public String getSharedSecretRef() { return sharedSecretRef; }
  public void setSharedSecretRef(String sharedSecretRef) { this.sharedSecretRef = sharedSecretRef; }
  public List<MintClientSpec> getClients() { return clients; }
  public void setClients(List<MintClientSpec> clients) { this.clients = clients; }
  public List<MintPeerSpec> getAllowedFrom() { return allowedFrom; }
  public void setAllowedFrom(List<MintPeerSpec> allowedFrom) { this.allowedFrom = allowedFrom; }
  public MintTlsSpec getTls() { return tls; }
  public void setTls(MintTlsSpec tls) { this.tls = tls; }
}
