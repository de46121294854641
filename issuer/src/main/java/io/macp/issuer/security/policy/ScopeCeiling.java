package io.macp.issuer.security.policy;

import io.macp.issuer.api.MintPolicyRules;
import java.util.List;

/**
 * The most a client may put in {@code macp_scopes}. A null field puts no limit on that scope.
 *
 * @param canStartSessions false: the request must say {@code can_start_sessions: false}
 * @param isObserver false: the request may not ask for an observer token
 * @param canManageModeRegistry false: the request may not ask for it
 * @param maxOpenSessions the request must give a number no higher
 * @param allowedModes the request must give a non-empty subset
 */
public record ScopeCeiling(
    Boolean canStartSessions,
    Boolean isObserver,
    Boolean canManageModeRegistry,
    Integer maxOpenSessions,
    List<String> allowedModes) {

  public ScopeCeiling {
    MintPolicyRules.checkScopes(maxOpenSessions, allowedModes);
    if (allowedModes != null) {
      allowedModes = List.copyOf(allowedModes);
    }
  }

  public static ScopeCeiling unlimited() {
    return new ScopeCeiling(null, null, null, null, null);
  }
}
