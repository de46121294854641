package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The key timeline's inputs (docs/rotation.md): P, C, G, D and K. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value =
        "![self.period, self.propagationDelay, self.verifierCacheTtl, self.verifierStaleGrace,"
            + " self.clockSkew].all(d, d." + MacpIssuerSpec.CEL_DURATION_OK + ")"
            + " || duration(self.period) >= duration(self.propagationDelay) + duration(self.verifierCacheTtl)"
            + " + duration(self.verifierStaleGrace) + duration(self.clockSkew)",
    message =
        "rotation.period must be at least the lead time = propagationDelay + verifierCacheTtl +"
            + " verifierStaleGrace + clockSkew, so each new key is in every verifier's JWKS before"
            + " it signs; lengthen the period or shorten one of these")
@ValidationRule(
    value = "![self.period].all(d, d." + MacpIssuerSpec.CEL_DURATION_OK + ")"
        + " || duration(self.period) > duration('0s')",
    message = "rotation.period must be longer than 0s")
public class RotationSpec {
  @JsonPropertyDescription(
      "How long each key is the active signer (P). Must be at least the lead time"
          + " propagationDelay + verifierCacheTtl + verifierStaleGrace + clockSkew. A Go duration;"
          + " days are not a unit, write 168h for a week.")
  @Default("24h")
  @Pattern(MacpIssuerSpec.DURATION_PATTERN)
  @Size(max = MacpIssuerSpec.DURATION_MAX_LENGTH)
  @ValidationRule(value = MacpIssuerSpec.DURATION_RULE, message = MacpIssuerSpec.DURATION_MESSAGE)
  @JsonSetter(nulls = Nulls.SKIP)
  private String period = "24h";

  @JsonPropertyDescription(
      "How long verifiers (the MACP runtime) cache the JWKS (C); set it to the runtime's"
          + " MACP_AUTH_JWKS_TTL_SECS (default 300s). A Go duration.")
  @Default("5m")
  @Pattern(MacpIssuerSpec.DURATION_PATTERN)
  @Size(max = MacpIssuerSpec.DURATION_MAX_LENGTH)
  @ValidationRule(value = MacpIssuerSpec.DURATION_RULE, message = MacpIssuerSpec.DURATION_MESSAGE)
  @JsonSetter(nulls = Nulls.SKIP)
  private String verifierCacheTtl = "5m";

  @JsonPropertyDescription(
      "How long verifiers keep serving a stale JWKS when a refresh fails (G); MACP runtimes"
          + " 0.5.0 and later keep it for 1h beyond the cache TTL. Use 0s only when every verifier"
          + " drops its cache on a failed refresh. A Go duration.")
  @Default("1h")
  @Pattern(MacpIssuerSpec.DURATION_PATTERN)
  @Size(max = MacpIssuerSpec.DURATION_MAX_LENGTH)
  @ValidationRule(value = MacpIssuerSpec.DURATION_RULE, message = MacpIssuerSpec.DURATION_MESSAGE)
  @JsonSetter(nulls = Nulls.SKIP)
  private String verifierStaleGrace = "1h";

  @JsonPropertyDescription(
      "How long a key-set Secret update takes to reach every issuer pod (D); the kubelet syncs"
          + " mounted Secrets within about a minute. A Go duration.")
  @Default("2m")
  @Pattern(MacpIssuerSpec.DURATION_PATTERN)
  @Size(max = MacpIssuerSpec.DURATION_MAX_LENGTH)
  @ValidationRule(value = MacpIssuerSpec.DURATION_RULE, message = MacpIssuerSpec.DURATION_MESSAGE)
  @JsonSetter(nulls = Nulls.SKIP)
  private String propagationDelay = "2m";

  @JsonPropertyDescription(
      "Clock skew between issuer pods and verifiers plus the verifiers' exp leeway (K); MACP"
          + " runtimes allow about 60s of leeway. A Go duration.")
  @Default("1m")
  @Pattern(MacpIssuerSpec.DURATION_PATTERN)
  @Size(max = MacpIssuerSpec.DURATION_MAX_LENGTH)
  @ValidationRule(value = MacpIssuerSpec.DURATION_RULE, message = MacpIssuerSpec.DURATION_MESSAGE)
  @JsonSetter(nulls = Nulls.SKIP)
  private String clockSkew = "1m";

  @JsonPropertyDescription(
      "The verifier-aware activation gate: report (Observe) or wait for (Hold) verifiers that"
          + " lack the next key before it activates. Off unless set. See docs/rotation.md.")
  private ActivationGateSpec activationGate;

  public ActivationGateSpec getActivationGate() { return activationGate; }
  public void setActivationGate(ActivationGateSpec activationGate) { this.activationGate = activationGate; }
  public String getPeriod() { return period; }
  public void setPeriod(String period) { this.period = period != null ? period : "24h"; }
  public String getVerifierCacheTtl() { return verifierCacheTtl; }
  public void setVerifierCacheTtl(String verifierCacheTtl) { this.verifierCacheTtl = verifierCacheTtl != null ? verifierCacheTtl : "5m"; }
  public String getVerifierStaleGrace() { return verifierStaleGrace; }
  public void setVerifierStaleGrace(String verifierStaleGrace) { this.verifierStaleGrace = verifierStaleGrace != null ? verifierStaleGrace : "1h"; }
  public String getPropagationDelay() { return propagationDelay; }
  public void setPropagationDelay(String propagationDelay) { this.propagationDelay = propagationDelay != null ? propagationDelay : "2m"; }
  public String getClockSkew() { return clockSkew; }
  public void setClockSkew(String clockSkew) { this.clockSkew = clockSkew != null ? clockSkew : "1m"; }
}
