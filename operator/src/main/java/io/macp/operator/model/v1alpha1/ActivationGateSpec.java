package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.macp.keyset.ActivationGate;

/**
 * The verifier-aware activation gate (docs/rotation.md "Activation gate"): the issuer replicas
 * observe which clients fetched which JWKS, and before the next key activates the operator checks
 * that every known verifier holds it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "![self.maxHold].all(d, d." + MacpIssuerSpec.CEL_DURATION_OK + ")"
        + " || duration(self.maxHold) <= duration('24h')",
    message = "rotation.activationGate.maxHold must be at most 24h: a verifier that lacks the"
        + " next key for longer needs fixing, not waiting for")
public class ActivationGateSpec {
  @JsonPropertyDescription(
      "Off (default): the key timeline alone decides. Observe: before each activation, report"
          + " the known verifiers (JWKS clients seen by the issuer replicas within 2x"
          + " verifierCacheTtl + verifierStaleGrace) that lack the next key, in status, the"
          + " VerifiersReady condition and a Warning event; change nothing. Hold: also postpone"
          + " the activation, no later than activateAt - propagationDelay and by at most"
          + " maxHold in total, while known verifiers lack the key. Never delays a revoke.")
  @SchemaFrom(type = ActivationGate.Mode.class)
  @Default("Off")
  private String mode = "Off";

  @JsonPropertyDescription(
      "Hold only: the most an activation may be postponed past its planned time; then the key"
          + " activates anyway with a Warning event (ActivationHoldExpired). From 0s to 24h. A Go"
          + " duration.")
  @Default("1h")
  @Pattern(MacpIssuerSpec.DURATION_PATTERN)
  @Size(max = MacpIssuerSpec.DURATION_MAX_LENGTH)
  @ValidationRule(value = MacpIssuerSpec.DURATION_RULE, message = MacpIssuerSpec.DURATION_MESSAGE)
  private String maxHold = "1h";

  public String getMode() { return mode; }
  public void setMode(String mode) { this.mode = mode; }
  public String getMaxHold() { return maxHold; }
  public void setMaxHold(String maxHold) { this.maxHold = maxHold; }
}
