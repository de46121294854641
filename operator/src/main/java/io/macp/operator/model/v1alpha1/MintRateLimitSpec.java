package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A per-caller token bucket. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class MintRateLimitSpec {
  @JsonPropertyDescription("Refill rate of the bucket, in requests per second (may be fractional).")
  @Required
  @Min(value = 0, inclusive = false)
  private Double requestsPerSecond;

  @JsonPropertyDescription("Size of the bucket: how many requests may come at once.")
  @Required
  @Min(1)
  private Integer burst;

  public Double getRequestsPerSecond() { return requestsPerSecond; }
  public void setRequestsPerSecond(Double requestsPerSecond) { this.requestsPerSecond = requestsPerSecond; }
  public Integer getBurst() { return burst; }
  public void setBurst(Integer burst) { this.burst = burst; }
}
