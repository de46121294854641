package io.macp.devcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.devcluster.e2e.SignerHistory.Activation;
import io.macp.devcluster.e2e.SignerHistory.Cause;
import io.macp.operator.model.v1alpha1.KeyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignerHistoryTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration P = Duration.ofSeconds(30);

  private static KeyStatus key(String kid, int created, int activate, Integer revoked) {
    KeyStatus k = new KeyStatus();
    k.setKid(kid);
    k.setCreatedAt(T0.plusSeconds(created).toString());
    k.setActivateAt(T0.plusSeconds(activate).toString());
    k.setRevokedAt(revoked == null ? null : T0.plusSeconds(revoked).toString());
    return k;
  }

  @Test
  void explainsEveryKindOfActivation() {
    List<KeyStatus> keys = List.of(
        key("genesis", 0, 0, null),
        key("s1", 0, 30, null),
        key("asked", 30, 38, null),          // moved earlier by a rotate request
        key("s2", 38, 68, 75),               // active, then revoked
        key("promoted", 68, 75, null),       // took over at the revoke
        key("s3", 75, 105, null),
        key("pending", 105, 135, null),      // after the end of the run: never signed
        key("withdrawn", 40, 200, 50));      // revoked before it could sign
    List<Activation> history = SignerHistory.of(keys, T0.plusSeconds(120), P, Set.of("asked"));

    assertThat(history).extracting(Activation::kid)
        .containsExactly("genesis", "s1", "asked", "s2", "promoted", "s3");
    assertThat(history).extracting(Activation::cause).containsExactly(
        Cause.GENESIS, Cause.SCHEDULED, Cause.REQUESTED, Cause.SCHEDULED, Cause.REVOKE_PROMOTION,
        Cause.SCHEDULED);
    assertThat(SignerHistory.count(history, Cause.SCHEDULED)).isEqualTo(3);
  }

  @Test
  void anActivationOffTheScheduleIsUnexplained() {
    List<Activation> history = SignerHistory.of(
        List.of(key("a", 0, 0, null), key("early", 0, 12, null)), T0.plusSeconds(60), P, Set.of());

    assertThat(history).extracting(Activation::cause)
        .containsExactly(Cause.GENESIS, Cause.UNEXPLAINED);
  }
}
