package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Lifetimes of minted tokens; the same meaning as the reference service's TTL settings. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "![self.defaultTtl, self.maxTtl].all(d, d." + MacpIssuerSpec.CEL_DURATION_OK + ")"
        + " || duration(self.defaultTtl) <= duration(self.maxTtl)",
    message = "tokens.defaultTtl must not be longer than tokens.maxTtl")
@ValidationRule(
    value = "![self.defaultTtl, self.maxTtl].all(d, d." + MacpIssuerSpec.CEL_DURATION_OK + ")"
        + " || duration(self.defaultTtl) >= duration('1s') && duration(self.maxTtl) >= duration('1s')",
    message = "tokens.defaultTtl and tokens.maxTtl must be at least 1s")
public class TokensSpec {
  @JsonPropertyDescription(
      "Lifetime of a token when the mint request asks for none (the reference service's"
          + " MACP_AUTH_DEFAULT_TTL_SECONDS, 300s). A Go duration such as 90s, 5m or 1h30m;"
          + " must not exceed maxTtl.")
  @Default("5m")
  @Pattern(MacpIssuerSpec.DURATION_PATTERN)
  @Size(max = MacpIssuerSpec.DURATION_MAX_LENGTH)
  @ValidationRule(value = MacpIssuerSpec.DURATION_RULE, message = MacpIssuerSpec.DURATION_MESSAGE)
  @JsonSetter(nulls = Nulls.SKIP)
  private String defaultTtl = "5m";

  @JsonPropertyDescription(
      "Longest token lifetime; longer requests are clamped to it (the reference service's"
          + " MACP_AUTH_MAX_TTL_SECONDS, 3600s). Retired keys stay in the JWKS for maxTtl +"
          + " rotation.clockSkew so every token they signed keeps verifying. A Go duration.")
  @Default("1h")
  @Pattern(MacpIssuerSpec.DURATION_PATTERN)
  @Size(max = MacpIssuerSpec.DURATION_MAX_LENGTH)
  @ValidationRule(value = MacpIssuerSpec.DURATION_RULE, message = MacpIssuerSpec.DURATION_MESSAGE)
  @JsonSetter(nulls = Nulls.SKIP)
  private String maxTtl = "1h";

  public String getDefaultTtl() { return defaultTtl; }
  public void setDefaultTtl(String defaultTtl) { this.defaultTtl = defaultTtl != null ? defaultTtl : "5m"; }
  public String getMaxTtl() { return maxTtl; }
  public void setMaxTtl(String maxTtl) { this.maxTtl = maxTtl != null ? maxTtl : "1h"; }
}
