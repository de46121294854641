package io.macp.issuer.security.policy;

import io.macp.issuer.api.MintPolicyDocument;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares requested {@code macp_scopes} with a {@link ScopeCeiling}, reading an absent value the
 * way the MACP runtime does, so that leaving a scope out can never exceed a ceiling unnoticed:
 * absent {@code can_start_sessions} means true; absent {@code is_observer} and
 * {@code can_manage_mode_registry} mean false; absent {@code max_open_sessions} and
 * {@code allowed_modes} mean unlimited. A value of the wrong type exceeds any ceiling on it.
 * Keys without a ceiling, and unknown keys, pass unchanged (the contract copies them verbatim).
 */
public final class ScopeCheck {
  public static final String CAN_START_SESSIONS = MintPolicyDocument.CAN_START_SESSIONS;
  public static final String IS_OBSERVER = MintPolicyDocument.IS_OBSERVER;
  public static final String CAN_MANAGE_MODE_REGISTRY = MintPolicyDocument.CAN_MANAGE_MODE_REGISTRY;
  public static final String MAX_OPEN_SESSIONS = MintPolicyDocument.MAX_OPEN_SESSIONS;
  public static final String ALLOWED_MODES = MintPolicyDocument.ALLOWED_MODES;

  private ScopeCheck() {}

  /** The name of the first scope that exceeds the ceiling (one of the constants above), if any. */
  public static Optional<String> firstExcess(ScopeCeiling ceiling, Map<String, Object> scopes) {
    Map<String, Object> s = scopes == null ? Map.of() : scopes;
    if (exceedsFlag(ceiling.canStartSessions(), s, CAN_START_SESSIONS, true)) {
      return Optional.of(CAN_START_SESSIONS);
    }
    if (exceedsFlag(ceiling.isObserver(), s, IS_OBSERVER, false)) {
      return Optional.of(IS_OBSERVER);
    }
    if (exceedsFlag(ceiling.canManageModeRegistry(), s, CAN_MANAGE_MODE_REGISTRY, false)) {
      return Optional.of(CAN_MANAGE_MODE_REGISTRY);
    }
    if (ceiling.maxOpenSessions() != null
        && exceedsCount(ceiling.maxOpenSessions(), s.get(MAX_OPEN_SESSIONS))) {
      return Optional.of(MAX_OPEN_SESSIONS);
    }
    if (ceiling.allowedModes() != null
        && exceedsModes(ceiling.allowedModes(), s.get(ALLOWED_MODES))) {
      return Optional.of(ALLOWED_MODES);
    }
    return Optional.empty();
  }

  private static boolean exceedsFlag(
      Boolean ceiling, Map<String, Object> scopes, String key, boolean runtimeDefault) {
    if (ceiling == null || ceiling) {
      return false;
    }
    Object value = scopes.get(key);
    if (value == null) {
      return runtimeDefault;
    }
    return !(value instanceof Boolean b) || b;
  }

  private static boolean exceedsCount(int ceiling, Object value) {
    if (value == null) {
      return true; // absent = no limit at the runtime
    }
    BigInteger n;
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      n = BigInteger.valueOf(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      n = big;
    } else {
      return true; // a fraction, a string, a list...: not a count the runtime can honour
    }
    return n.signum() < 0 || n.compareTo(BigInteger.valueOf(ceiling)) > 0;
  }

  private static boolean exceedsModes(List<String> allowed, Object value) {
    if (!(value instanceof List<?> modes) || modes.isEmpty()) {
      return true; // absent may mean every mode; empty is refused as meaningless
    }
    for (Object mode : modes) {
      if (!(mode instanceof String m) || !allowed.contains(m)) {
        return true;
      }
    }
    return false;
  }
}
