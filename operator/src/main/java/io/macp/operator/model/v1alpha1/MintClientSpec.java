package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One caller identity bound to the limits of what it may mint. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "has(self.serviceAccount) != has(self.sharedSecret)",
    message = "a mint client names exactly one identity: serviceAccount or sharedSecret")
public class MintClientSpec {
  public static final int MAX_SENDERS = 64;

  @JsonPropertyDescription(
      "ServiceAccount mode: the caller's ServiceAccount as namespace/name, e.g."
          + " team-a/orchestrator.")
  @Size(min = 3, max = 507)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String serviceAccount;

  @JsonPropertyDescription(
      "SharedSecret mode: the client name, i.e. the data key <name> (and <name>.<suffix>) of"
          + " its tokens in the Secret mint.sharedSecretRef. Letters, digits, '-' and '_'.")
  @Size(min = 1, max = 253)
  @Pattern("^[-_a-zA-Z0-9]+$")
  private String sharedSecret;

  @JsonPropertyDescription(
      "The senders this caller may mint: exact names or globs such as agent://team-a/* (*"
          + " stays within one path segment, ** crosses segments). Matched against the whole"
          + " sender; only canonical names match (no '..', no percent-encoding, no look-alike"
          + " characters).")
  @Required
  @Size(min = 1, max = MAX_SENDERS)
  @ValidationRule(value = "self.all(s, !s.matches(r'\\p{Cc}'))",
      message = "mint.clients[].senders " + MacpIssuerSpec.NO_CONTROL_MESSAGE)
  private List<@Size(min = 1, max = 512) String> senders;

  @JsonPropertyDescription(
      "TTL ceiling of this caller's tokens; longer requests are clamped. Unset: the issuer's"
          + " tokens.maxTtl. A Go duration, at least 1s.")
  @Pattern(MacpIssuerSpec.DURATION_PATTERN)
  @Size(max = MacpIssuerSpec.DURATION_MAX_LENGTH)
  @ValidationRule(value = MacpIssuerSpec.DURATION_RULE, message = MacpIssuerSpec.DURATION_MESSAGE)
  private String maxTtl;

  @JsonPropertyDescription(
      "The most this caller may put in macp_scopes; a request above it is forbidden (403)."
          + " Unset fields put no limit on that scope.")
  private MintScopesSpec scopes;

  @JsonPropertyDescription(
      "Token bucket for this caller; an empty bucket answers 429 with Retry-After. Unset: no"
          + " limit.")
  private MintRateLimitSpec rateLimit;

  public String getServiceAccount() { return serviceAccount; }
  public void setServiceAccount(String serviceAccount) { this.serviceAccount = serviceAccount; }
  public String getSharedSecret() { return sharedSecret; }
  public void setSharedSecret(String sharedSecret) { this.sharedSecret = sharedSecret; }
  public List<String> getSenders() { return senders; }
  public void setSenders(List<String> senders) { this.senders = senders; }
  public String getMaxTtl() { return maxTtl; }
  public void setMaxTtl(String maxTtl) { this.maxTtl = maxTtl; }
  public MintScopesSpec getScopes() { return scopes; }
  public void setScopes(MintScopesSpec scopes) { this.scopes = scopes; }
  public MintRateLimitSpec getRateLimit() { return rateLimit; }
  public void setRateLimit(MintRateLimitSpec rateLimit) { this.rateLimit = rateLimit; }
}
