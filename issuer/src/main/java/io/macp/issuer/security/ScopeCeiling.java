package io.macp.issuer.security;

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
    if (maxOpenSessions != null && maxOpenSessions < 0) {
      throw new IllegalArgumentException("scopes.max_open_sessions must not be negative");
    }
    if (allowedModes != null) {
      allowedModes = List.copyOf(allowedModes);
      if (allowedModes.isEmpty()) {
        throw new IllegalArgumentException(
            "scopes.allowed_modes must not be empty (leave it out to allow every mode)");
      }
    }
  }

  public static ScopeCeiling unlimited() {
    return new ScopeCeiling(null, null, null, null, null);
  }
}
