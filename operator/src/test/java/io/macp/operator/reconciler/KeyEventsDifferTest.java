package io.macp.operator.reconciler;

import static io.macp.operator.reconciler.TestKeys.POLICY;
import static io.macp.operator.reconciler.TestKeys.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.macp.keyset.KeySet;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationRequests;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyEventsDifferTest {

  @Test
  void genesisGeneratesTwoKeysAndActivatesOne() {
    KeySet set = TestKeys.genesis();
    List<KeyEvent> events = KeyEventsDiffer.diff(List.of(), set, POLICY, T0);
    assertThat(events).extracting(KeyEvent::reason)
        .containsExactly("KeyGenerated", "KeyActivated", "KeyGenerated");
    assertThat(events).noneMatch(KeyEvent::warning);
    assertThat(events.get(0).message()).contains(set.keys().get(0).kid()).contains("ES256");
  }

  @Test
  void nothingChangedRaisesNothing() {
    KeySet set = TestKeys.genesis();
    var shown = IssuerStatusBuilder.keyStatuses(set, T0.plusSeconds(1));
    assertThat(KeyEventsDiffer.diff(shown, set, POLICY, T0.plusSeconds(2))).isEmpty();
  }

  @Test
  void aScheduledTurnActivatesRetiresAndGenerates() {
    KeySet before = TestKeys.genesis();
    var shown = IssuerStatusBuilder.keyStatuses(before, T0);
    KeySet after = TestKeys.planAt(before, T0.plusSeconds(10));
    List<KeyEvent> events = KeyEventsDiffer.diff(shown, after, POLICY, T0.plusSeconds(10));
    assertThat(events).extracting(KeyEvent::reason)
        .containsExactlyInAnyOrder("KeyRetired", "KeyActivated", "KeyGenerated");
    assertThat(events).filteredOn(e -> e.reason().equals("KeyRetired")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("2026-11-23T12:00:16Z"));
  }

  @Test
  void aPrunedKeyIsRemoved() {
    KeySet first = TestKeys.planAt(TestKeys.genesis(), T0.plusSeconds(10));
    var shown = IssuerStatusBuilder.keyStatuses(first, T0.plusSeconds(10));
    KeySet later = TestKeys.planAt(first, T0.plusSeconds(16));
    List<KeyEvent> events = KeyEventsDiffer.diff(shown, later, POLICY, T0.plusSeconds(16));
    assertThat(events).extracting(KeyEvent::reason).containsExactly("KeyRemoved");
  }

  @Test
  void aRevocationIsAWarningThatSaysWhenVerifiersDropTheKey() {
    KeySet set = TestKeys.genesis();
    String active = set.keys().get(0).kid();
    var shown = IssuerStatusBuilder.keyStatuses(set, T0);
    KeySet revoked = TestKeys.PLANNER.plan(set, POLICY, KeySpec.es256(), T0.plusSeconds(2),
        RotationRequests.revoke(active)).desired();
    List<KeyEvent> events = KeyEventsDiffer.diff(shown, revoked, POLICY, T0.plusSeconds(2));
    assertThat(events).filteredOn(e -> e.reason().equals("KeyRevoked")).singleElement()
        .satisfies(e -> {
          assertThat(e.warning()).isTrue();
          // now + D + C = 12:00:04, + G = 12:00:05
          assertThat(e.message()).contains(active).contains("by 2026-11-23T12:00:04Z")
              .contains("by 2026-11-23T12:00:05Z").contains("restarting a verifier");
        });
    assertThat(events).extracting(KeyEvent::reason).contains("KeyActivated", "KeyGenerated");
  }
}
