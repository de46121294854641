package io.macp.operator.model;

/** One key's place on the timeline, as shown by kubectl; timestamps are RFC 3339. */
public class KeyStatus {
  private String kid;
  private String algorithm;
  private String phase;
  private String createdAt;
  private String activateAt;
  private String retireAt;
  private String removeAt;
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
