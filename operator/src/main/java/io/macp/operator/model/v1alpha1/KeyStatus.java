package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One key's place on the timeline, as shown by kubectl; timestamps are RFC 3339. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class KeyStatus {
  @JsonPropertyDescription("Key id, the kid header of tokens it signs and of its JWKS entry.")
  private String kid;

  @JsonPropertyDescription("JWS algorithm of the key: RS256 or ES256.")
  private String algorithm;

  @JsonPropertyDescription(
      "Where the key stands now: Published (in the JWKS, not signing yet), Active (the one"
          + " signer), Retired (in the JWKS until removeAt so its tokens keep verifying), Expired"
          + " (past removeAt, about to be pruned) or Revoked.")
  private String phase;

  @JsonPropertyDescription("When the key was created and published in the JWKS (RFC 3339).")
  private String createdAt;

  @JsonPropertyDescription(
      "When the key starts signing (RFC 3339): at least the lead time after createdAt.")
  private String activateAt;

  @JsonPropertyDescription(
      "When the key stopped or stops signing because its successor activated (RFC 3339).")
  private String retireAt;

  @JsonPropertyDescription(
      "When the key leaves the JWKS and its private part is deleted (RFC 3339):"
          + " retireAt + tokens.maxTtl + rotation.clockSkew.")
  private String removeAt;

  @JsonPropertyDescription("When the key was revoked by a macp.io/revoke request (RFC 3339).")
  private String revokedAt;

  public String getKid() { return kid; }
  public void setKid(String kid) { this.kid = kid; }
  public String getAlgorithm() { return algorithm; }
  public void setAlgorithm(String algorithm) { this.algorithm = algorithm; }
  public String getPhase() { return phase; }
  public void setPhase(String phase) { this.phase = phase; }
  public String getCreatedAt() { return createdAt; }
  public void setCreatedAt(String createdAt) { this.createdAt = createdAt; }
  public String getActivateAt() { return activateAt; }
  public void setActivateAt(String activateAt) { this.activateAt = activateAt; }
  public String getRetireAt() { return retireAt; }
  public void setRetireAt(String retireAt) { this.retireAt = retireAt; }
  public String getRemoveAt() { return removeAt; }
  public void setRemoveAt(String removeAt) { this.removeAt = removeAt; }
  public String getRevokedAt() { return revokedAt; }
  public void setRevokedAt(String revokedAt) { this.revokedAt = revokedAt; }
}
