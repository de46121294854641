package io.macp.operator.model;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed and did; never key material. */
public class MacpIssuerStatus {
  private Long observedGeneration;
  private List<Condition> conditions = new ArrayList<>();
  private String activeKid;
  private String nextRotationAt;
  private List<KeyStatus> keys = new ArrayList<>();
  private String jwksUrl;
  private String mintUrl;
  private String handledRotateNonce;
  private String handledRevoke;

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getActiveKid() { return activeKid; }
  public void setActiveKid(String activeKid) { this.activeKid = activeKid; }
  public String getNextRotationAt() { return nextRotationAt; }
  public void setNextRotationAt(String nextRotationAt) { this.nextRotationAt = nextRotationAt; }
  public List<KeyStatus> getKeys() { return keys; }
  public void setKeys(List<KeyStatus> keys) { this.keys = keys; }
  public String getJwksUrl() { return jwksUrl; }
  public void setJwksUrl(String jwksUrl) { this.jwksUrl = jwksUrl; }
  public String getMintUrl() { return mintUrl; }
  public void setMintUrl(String mintUrl) { this.mintUrl = mintUrl; }
  public String getHandledRotateNonce() { return handledRotateNonce; }
  public void setHandledRotateNonce(String handledRotateNonce) { this.handledRotateNonce = handledRotateNonce; }
  public String getHandledRevoke() { return handledRevoke; }
  public void setHandledRevoke(String handledRevoke) { this.handledRevoke = handledRevoke; }
}
