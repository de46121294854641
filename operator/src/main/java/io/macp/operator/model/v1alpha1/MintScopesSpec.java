package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A scope ceiling. Absent request values are read as the runtime reads them, so leaving a field
 * out of a request never slips past a ceiling (docs/security.md, "Scope ceiling").
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class MintScopesSpec {
  public static final int MAX_ALLOWED_MODES = 64;

  @JsonPropertyDescription(
      "false: requests must say can_start_sessions: false (the runtime reads an absent value"
          + " as true). true or unset: no limit.")
  private Boolean canStartSessions;

  @JsonPropertyDescription("false: no observer tokens. true or unset: no limit.")
  private Boolean isObserver;

  @JsonPropertyDescription("false: no can_manage_mode_registry tokens. true or unset: no limit.")
  private Boolean canManageModeRegistry;

  @JsonPropertyDescription(
      "Requests must give max_open_sessions as a whole number no higher than this.")
  @Min(0)
  private Integer maxOpenSessions;

  @JsonPropertyDescription(
      "Requests must give allowed_modes as a non-empty subset of this list.")
  @Size(min = 1, max = MAX_ALLOWED_MODES)
  @ValidationRule(value = "self.all(s, !s.matches(r'\\p{Cc}'))",
      message = "allowedModes " + MacpIssuerSpec.NO_CONTROL_MESSAGE)
  private List<@Size(min = 1, max = 256) String> allowedModes;

  public Boolean getCanStartSessions() { return canStartSessions; }
  public void setCanStartSessions(Boolean canStartSessions) { this.canStartSessions = canStartSessions; }
  public Boolean getIsObserver() { return isObserver; }
  public void setIsObserver(Boolean isObserver) { this.isObserver = isObserver; }
  public Boolean getCanManageModeRegistry() { return canManageModeRegistry; }
  public void setCanManageModeRegistry(Boolean canManageModeRegistry) { this.canManageModeRegistry = canManageModeRegistry; }
  public Integer getMaxOpenSessions() { return maxOpenSessions; }
  public void setMaxOpenSessions(Integer maxOpenSessions) { this.maxOpenSessions = maxOpenSessions; }
  public List<String> getAllowedModes() { return allowedModes; }
  public void setAllowedModes(List<String> allowedModes) { this.allowedModes = allowedModes; }
}
