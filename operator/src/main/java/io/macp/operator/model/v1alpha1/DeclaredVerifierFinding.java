package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One finding of the spec.verifiers check about one workload (and container). */
@JsonIgnoreProperties(ignoreUnknown = true)
public class DeclaredVerifierFinding {
  @JsonPropertyDescription("Kind/name of the workload, e.g. Deployment/macp-runtime.")
  private String workload;

  @JsonPropertyDescription("The container the finding is about, if it is about one.")
  private String container;

  @JsonPropertyDescription(
      "InlineJwks, CacheTooLong, InvalidTtl, NoJwksSource, IssuerMismatch, AudienceMismatch,"
          + " Unverifiable or NoMatchingWorkload.")
  private String reason;

  @JsonPropertyDescription("What is wrong and what to change.")
  private String message;

  public String getWorkload() { return workload; }
  public void setWorkload(String workload) { this.workload = workload; }
  public String getContainer() { return container; }
  public void setContainer(String container) { this.container = container; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
