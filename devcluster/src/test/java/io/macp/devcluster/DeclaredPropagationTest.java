package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeclaredPropagationTest {
  private static IssuerPodSpec withEnv(EnvVar... env) {
    return new IssuerPodSpec("ns", "iss", 1, 1, "h", "issuer", List.of(env), List.of(), List.of());
  }

  @Test
  void theKubeletGetsTheDeclaredDelayMinusTheIssuersPoll() {
    assertThat(DeclaredPropagation.kubeletBound(Duration.ofSeconds(2),
        withEnv(new EnvVar(DeclaredPropagation.POLL_INTERVAL_ENV, "1s", null))))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(DeclaredPropagation.kubeletBound(Duration.ofSeconds(2), withEnv()))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(DeclaredPropagation.kubeletBound(Duration.ofMillis(500),
        withEnv(new EnvVar(DeclaredPropagation.POLL_INTERVAL_ENV, "1s", null))))
        .isZero();
    assertThat(DeclaredPropagation.kubeletBound(Duration.ofSeconds(2),
        withEnv(new EnvVar(DeclaredPropagation.POLL_INTERVAL_ENV, "soon", null))))
        .as("an unreadable poll interval is ignored")
        .isEqualTo(Duration.ofSeconds(2));
  }
}
