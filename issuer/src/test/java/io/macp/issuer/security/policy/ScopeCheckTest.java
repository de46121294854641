package io.macp.issuer.security.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScopeCheckTest {
  private static final ScopeCeiling STRICT = new ScopeCeiling(false, false, false, 2,
      List.of("macp.mode.decision.v1", "macp.mode.vote.v1"));

  private static Map<String, Object> within() {
    Map<String, Object> s = new HashMap<>();
    s.put("can_start_sessions", false);
    s.put("is_observer", false);
    s.put("can_manage_mode_registry", false);
    s.put("max_open_sessions", 2);
    s.put("allowed_modes", List.of("macp.mode.decision.v1"));
    return s;
  }

  private static Map<String, Object> with(String key, Object value) {
    Map<String, Object> s = within();
    if (value == null) {
      s.remove(key);
    } else {
      s.put(key, value);
    }
    return s;
  }

  @Test
  void requestWithinTheCeilingPasses() {
    assertThat(ScopeCheck.firstExcess(STRICT, within())).isEmpty();
    assertThat(ScopeCheck.firstExcess(STRICT, with("max_open_sessions", 0L))).isEmpty();
    assertThat(ScopeCheck.firstExcess(STRICT, with("unknown_key", "kept"))).isEmpty();
  }

  @Test
  void absentCanStartSessionsMeansTrueAtTheRuntime() {
    assertThat(ScopeCheck.firstExcess(STRICT, with("can_start_sessions", null)))
        .contains("can_start_sessions");
    assertThat(ScopeCheck.firstExcess(STRICT, with("can_start_sessions", true)))
        .contains("can_start_sessions");
  }

  @Test
  void absentFalseDefaultFlagsPass() {
    assertThat(ScopeCheck.firstExcess(STRICT, with("is_observer", null))).isEmpty();
    assertThat(ScopeCheck.firstExcess(STRICT, with("can_manage_mode_registry", null))).isEmpty();
    assertThat(ScopeCheck.firstExcess(STRICT, with("is_observer", true))).contains("is_observer");
    assertThat(ScopeCheck.firstExcess(STRICT, with("can_manage_mode_registry", true)))
        .contains("can_manage_mode_registry");
  }

  @Test
  void wrongTypesExceed() {
    assertThat(ScopeCheck.firstExcess(STRICT, with("can_start_sessions", "false")))
        .contains("can_start_sessions");
    assertThat(ScopeCheck.firstExcess(STRICT, with("max_open_sessions", new BigDecimal("1.5"))))
        .contains("max_open_sessions");
    assertThat(ScopeCheck.firstExcess(STRICT, with("max_open_sessions", "1")))
        .contains("max_open_sessions");
    assertThat(ScopeCheck.firstExcess(STRICT, with("allowed_modes", "macp.mode.decision.v1")))
        .contains("allowed_modes");
    assertThat(ScopeCheck.firstExcess(STRICT, with("allowed_modes", List.of(1))))
        .contains("allowed_modes");
  }

  @Test
  void countsAboveOrAbsentOrNegativeExceed() {
    assertThat(ScopeCheck.firstExcess(STRICT, with("max_open_sessions", 3)))
        .contains("max_open_sessions");
    assertThat(ScopeCheck.firstExcess(STRICT, with("max_open_sessions", null)))
        .contains("max_open_sessions");
    assertThat(ScopeCheck.firstExcess(STRICT, with("max_open_sessions", -1)))
        .contains("max_open_sessions");
    assertThat(ScopeCheck.firstExcess(STRICT,
        with("max_open_sessions", new BigInteger("99999999999999999999"))))
        .contains("max_open_sessions");
  }

  @Test
  void modesMustBeANonEmptySubset() {
    assertThat(ScopeCheck.firstExcess(STRICT,
        with("allowed_modes", List.of("macp.mode.decision.v1", "macp.mode.vote.v1")))).isEmpty();
    assertThat(ScopeCheck.firstExcess(STRICT, with("allowed_modes", null)))
        .contains("allowed_modes");
    assertThat(ScopeCheck.firstExcess(STRICT, with("allowed_modes", List.of())))
        .contains("allowed_modes");
    assertThat(ScopeCheck.firstExcess(STRICT,
        with("allowed_modes", List.of("macp.mode.decision.v1", "macp.mode.other.v1"))))
        .contains("allowed_modes");
    assertThat(ScopeCheck.firstExcess(STRICT, with("allowed_modes", List.of("MACP.MODE.DECISION.V1"))))
        .contains("allowed_modes");
  }

  @Test
  void noCeilingAllowsEverythingAndTrueCeilingsAllowTrue() {
    assertThat(ScopeCheck.firstExcess(ScopeCeiling.unlimited(), Map.of())).isEmpty();
    ScopeCeiling generous = new ScopeCeiling(true, true, true, null, null);
    assertThat(ScopeCheck.firstExcess(generous, Map.of("can_start_sessions", true,
        "is_observer", true, "can_manage_mode_registry", true, "max_open_sessions", 1000)))
        .isEmpty();
  }
}
