package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What the activation gate saw before the next activation (docs/rotation.md). */
@JsonIgnoreProperties(ignoreUnknown = true)
public class VerifiersStatus {
  @JsonPropertyDescription(
      "The gate's last decision: Waiting, Covered, Lagging, Held, Unobserved (not every"
          + " replica's view could be read; Hold holds), MaxHoldReached, TooLate, NoPendingKey,"
          + " or NotCollected when no replica's view could be read.")
  private String outcome;

  @JsonPropertyDescription("The next key the decision is about.")
  private String nextKid;

  @JsonPropertyDescription(
      "The next key's activateAt before any hold (RFC 3339); a hold never goes past it plus"
          + " maxHold.")
  private String plannedActivateAt;

  @JsonPropertyDescription("When the next key activates now (later than planned only after a hold).")
  private String activateAt;

  @JsonPropertyDescription(
      "JWKS clients that fetched from any replica within 2x verifierCacheTtl +"
          + " verifierStaleGrace.")
  private Integer known;

  @JsonPropertyDescription("How many known verifiers hold the next key.")
  private Integer holdingNextKey;

  @JsonPropertyDescription("The known verifier lacking the next key with the oldest fetch.")
  private String oldestHoldout;

  @JsonPropertyDescription("Known verifiers lacking the next key (address and User-Agent), at most 10.")
  private List<String> holdouts = new ArrayList<>();

  @JsonPropertyDescription("Issuer replicas whose view was read, of those asked.")
  private String replicasRead;

  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
  public String getNextKid() { return nextKid; }
  public void setNextKid(String nextKid) { this.nextKid = nextKid; }
  public String getPlannedActivateAt() { return plannedActivateAt; }
  public void setPlannedActivateAt(String plannedActivateAt) { this.plannedActivateAt = plannedActivateAt; }
  public String getActivateAt() { return activateAt; }
  public void setActivateAt(String activateAt) { this.activateAt = activateAt; }
  public Integer getKnown() { return known; }
  public void setKnown(Integer known) { this.known = known; }
  public Integer getHoldingNextKey() { return holdingNextKey; }
  public void setHoldingNextKey(Integer holdingNextKey) { this.holdingNextKey = holdingNextKey; }
  public String getOldestHoldout() { return oldestHoldout; }
  public void setOldestHoldout(String oldestHoldout) { this.oldestHoldout = oldestHoldout; }
  public List<String> getHoldouts() { return holdouts; }
  public void setHoldouts(List<String> holdouts) { this.holdouts = holdouts; }
  public String getReplicasRead() { return replicasRead; }
  public void setReplicasRead(String replicasRead) { this.replicasRead = replicasRead; }
}
