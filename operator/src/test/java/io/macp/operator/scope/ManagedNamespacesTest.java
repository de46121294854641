package io.macp.operator.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManagedNamespacesTest {
  @Test
  void unsetOrBlankManagesEveryNamespace() {
    assertThat(ManagedNamespaces.fromEnv(Map.of()).all()).isTrue();
    assertThat(ManagedNamespaces.parse("").all()).isTrue();
    assertThat(ManagedNamespaces.parse("  ").all()).isTrue();
    assertThat(ManagedNamespaces.allNamespaces().contains("kube-system")).isTrue();
    assertThat(ManagedNamespaces.allNamespaces().contains(null)).isFalse();
  }

  @Test
  void aListManagesExactlyItsNamespaces() {
    ManagedNamespaces m = ManagedNamespaces.fromEnv(Map.of("WATCH_NAMESPACES", " team-b, team-a,team-b"));
    assertThat(m.all()).isFalse();
    assertThat(m.namespaces()).containsExactly("team-a", "team-b");
    assertThat(m.contains("team-a")).isTrue();
    assertThat(m.contains("kube-system")).isFalse();
    assertThat(m.contains("team")).isFalse();
    assertThat(m.contains(null)).isFalse();
    assertThat(m.describe()).isEqualTo("namespaces team-a, team-b");
  }

  /** A typo must stop the start, never widen the scope to the whole cluster. */
  @ParameterizedTest
  @ValueSource(strings = {"a,,b", "a,", ",a", "*", "Team-A", "a b", "a/b", "-a", "a-",
      "a234567890123456789012345678901234567890123456789012345678901234"})
  void aBadListIsRefused(String value) {
    assertThatThrownBy(() -> ManagedNamespaces.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WATCH_NAMESPACES");
  }

  @Test
  void aScopeIsEitherAllOrANonEmptySet() {
    assertThatThrownBy(() -> new ManagedNamespaces(false, java.util.Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ManagedNamespaces(true, java.util.Set.of("a")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
