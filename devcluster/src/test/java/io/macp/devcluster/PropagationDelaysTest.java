package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PropagationDelaysTest {
  private static final Duration MAX = Duration.ofSeconds(2);

  @Test
  void seededDelaysStayWithinTheBoundAndSpreadOverIt() {
    PropagationDelays delays = PropagationDelays.seeded(42);
    Set<Long> seen = new HashSet<>();
    long max = 0;
    for (int replica = 0; replica < 4; replica++) {
      for (long update = 0; update < 200; update++) {
        Duration d = delays.delay(new ReplicaRef("ns", "iss", replica, 4), update, MAX);
        assertThat(d).isBetween(Duration.ZERO, MAX);
        seen.add(d.toMillis());
        max = Math.max(max, d.toMillis());
      }
    }
    assertThat(seen).hasSizeGreaterThan(100);
    assertThat(max).isGreaterThan(MAX.toMillis() * 9 / 10);
  }

  @Test
  void theSameSeedReplaysTheSameDelaysAndReplicasDiffer() {
    ReplicaRef r0 = new ReplicaRef("ns", "iss", 0, 2);
    ReplicaRef r1 = new ReplicaRef("ns", "iss", 1, 2);
    PropagationDelays a = PropagationDelays.seeded(7);
    PropagationDelays b = PropagationDelays.seeded(7);
    int differ = 0;
    for (long u = 0; u < 20; u++) {
      assertThat(a.delay(r0, u, MAX)).isEqualTo(b.delay(r0, u, MAX));
      if (!a.delay(r0, u, MAX).equals(a.delay(r1, u, MAX))) {
        differ++;
      }
    }
    assertThat(differ).isGreaterThan(15);
    assertThat(PropagationDelays.seeded(8).delay(r0, 0, MAX))
        .isNotEqualTo(PropagationDelays.seeded(7).delay(r0, 0, MAX));
  }

  @Test
  void staggeredGivesTheLastReplicaTheWholeBound() {
    PropagationDelays s = PropagationDelays.staggered();
    assertThat(s.delay(new ReplicaRef("ns", "iss", 0, 4), 0, MAX)).isEqualTo(Duration.ofMillis(500));
    assertThat(s.delay(new ReplicaRef("ns", "iss", 3, 4), 0, MAX)).isEqualTo(MAX);
  }

  @Test
  void aZeroBoundMeansNoDelay() {
    assertThat(PropagationDelays.seeded(1).delay(new ReplicaRef("n", "i", 0, 1), 3, Duration.ZERO))
        .isZero();
    assertThat(PropagationDelays.none().delay(new ReplicaRef("n", "i", 0, 1), 3, MAX)).isZero();
  }
}
