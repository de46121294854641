package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What the check of spec.verifiers found (docs/verifiers.md, "Declared verifiers"). */
@JsonIgnoreProperties(ignoreUnknown = true)
public class DeclaredVerifiersStatus {
  @JsonPropertyDescription("How many workloads spec.verifiers.selector matched.")
  private Integer workloads;

  @JsonPropertyDescription("How many findings there are in all (findings lists at most 20).")
  private Integer findingCount;

  @JsonPropertyDescription("The findings, at most 20, most severe first.")
  private List<DeclaredVerifierFinding> findings = new ArrayList<>();

  public Integer getWorkloads() { return workloads; }
  public void setWorkloads(Integer workloads) { this.workloads = workloads; }
  public Integer getFindingCount() { return findingCount; }
  public void setFindingCount(Integer findingCount) { this.findingCount = findingCount; }
  public List<DeclaredVerifierFinding> getFindings() { return findings; }
  public void setFindings(List<DeclaredVerifierFinding> findings) { this.findings = findings; }
}
