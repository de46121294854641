package io.macp.devcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.devcluster.EmbeddedCluster;
import io.macp.devcluster.InProcessIssuerLauncher;
import io.macp.devcluster.OperatorLauncher;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The activation gate end to end, in real time: the real operator and two in-process issuer
 * replicas on the embedded cluster, three runtime-like verifiers honouring the declared cache TTL
 * (3s) and one, {@code rt-slow}, caching 3× as long. The operator reads the replicas' real
 * {@code GET /verifiers} (127.0.0.1, the observer token from the key Secret). Observe names
 * rt-slow before the activation; Hold ends the run with zero failed verifications for every
 * verifier. See docs/rotation.md "Activation gate".
 */
class VerifierGateE2ETest {
  private static final String NS = "default";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SLOW = "rt-slow";
  private final Clock clock = Clock.systemUTC();

  /** P 7s, C 3s, G 0, D 2s, K 1s (lead time 6s), tokens up to 4s. */
  private static String manifest(String name, String mode) {
    return """
        apiVersion: macp.io/v1alpha1
        kind: MacpIssuer
        metadata:
          name: %s
          namespace: %s
        spec:
          replicas: 2
          signing:
            algorithm: ES256
          tokens:
            defaultTtl: 3s
            maxTtl: 4s
          rotation:
            period: 7s
            verifierCacheTtl: 3s
            verifierStaleGrace: 0s
            propagationDelay: 2s
            clockSkew: 1s
            activationGate:
              mode: %s
              maxHold: 30s
        """.formatted(name, NS, mode);
  }

  private EmbeddedCluster start(String name, String mode) throws Exception {
    // the devcluster's own operator: it reads each replica's real mint port (OperatorLauncher)
    EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifestYaml(manifest(name, mode))
        .seed(20261130L)
        .issuers(InProcessIssuerLauncher.create(clock))
        .operator(OperatorLauncher.macp(clock))
        .start();
    cluster.kubelet().awaitServing(NS, name, WAIT);
    return cluster;
  }

  private TokenTraffic traffic(EmbeddedCluster cluster, String name) {
    MacpIssuer issuer = issuer(cluster.client(), name);
    List<Supplier<URI>> replicas = IntStream.range(0, 2)
        .<Supplier<URI>>mapToObj(i -> () -> cluster.kubelet().replicas(NS, name).get(i).baseUri())
        .toList();
    TokenTraffic traffic = new TokenTraffic(replicas, new TokenTraffic.Settings(3, 2,
        Duration.ofMillis(150), Duration.ofSeconds(3), Duration.ofSeconds(4),
        io.macp.operator.policy.IssuerEndpoints.issuerClaim(issuer), "macp-runtime"), clock);
    traffic.addVerifier(SLOW, 1, Duration.ofSeconds(9));
    return traffic;
  }

  private static MacpIssuer issuer(KubernetesClient client, String name) {
    return client.resources(MacpIssuer.class).inNamespace(NS).withName(name).get();
  }

  private static MacpIssuerStatus awaitStatus(KubernetesClient client, String name,
      java.util.function.Predicate<MacpIssuerStatus> until) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      MacpIssuer i = issuer(client, name);
      if (i != null && i.getStatus() != null && until.test(i.getStatus())) {
        return i.getStatus();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("status of " + name + " never matched within " + WAIT);
  }

  private static List<Event> events(KubernetesClient client, String name, String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  @Test
  void observeNamesTheSlowVerifierBeforeTheActivation() throws Exception {
    try (EmbeddedCluster cluster = start("gate-observe", "Observe");
        TokenTraffic traffic = traffic(cluster, "gate-observe")) {
      traffic.primeStaggered();
      traffic.startMinting();
      MacpIssuerStatus lagging = awaitStatus(cluster.client(), "gate-observe",
          s -> s.getVerifiers() != null && "Lagging".equals(s.getVerifiers().getOutcome())
              && s.getVerifiers().getHoldouts().stream().anyMatch(h -> h.contains(SLOW)));
      Instant seen = clock.instant();
      Instant activateAt = Instant.parse(lagging.getVerifiers().getActivateAt());
      System.out.println("e2e-gate-observe: holdouts=" + lagging.getVerifiers().getHoldouts()
          + " known=" + lagging.getVerifiers().getKnown() + " reportedMsBeforeActivation="
          + Duration.between(seen, activateAt).toMillis());
      assertThat(seen).as("reported before the activation").isBefore(activateAt);
      assertThat(lagging.getVerifiers().getActivateAt())
          .isEqualTo(lagging.getVerifiers().getPlannedActivateAt());
      assertThat(events(cluster.client(), "gate-observe", "VerifiersLagging")).isNotEmpty()
          .anySatisfy(e -> assertThat(e.getMessage()).contains(SLOW));
      traffic.stopAndDrain();
    }
  }

  @Test
  void holdEndsTheRunWithZeroFailuresForEveryVerifier() throws Exception {
    long started = System.nanoTime();
    try (EmbeddedCluster cluster = start("gate-hold", "Hold");
        TokenTraffic traffic = traffic(cluster, "gate-hold")) {
      traffic.primeStaggered();
      traffic.startMinting();
      // Three activations after the start, each one gated.
      String first = awaitStatus(cluster.client(), "gate-hold", s -> s.getActiveKid() != null)
          .getActiveKid();
      String kid = first;
      for (int i = 0; i < 3; i++) {
        String previous = kid;
        kid = awaitStatus(cluster.client(), "gate-hold",
            s -> s.getActiveKid() != null && !s.getActiveKid().equals(previous)).getActiveKid();
      }
      traffic.stopAndDrain();
      Map<String, Long> failures = traffic.verifications().stream()
          .filter(v -> !v.accepted())
          .collect(Collectors.groupingBy(Verification::verifier, Collectors.counting()));
      long held = events(cluster.client(), "gate-hold", "ActivationHeld").size();
      System.out.println("e2e-gate-hold: verifications=" + traffic.verifications().size()
          + " failures=" + failures + " mints=" + traffic.tokens().size()
          + " activationHeldEvents=" + held
          + " holdExpiredEvents=" + events(cluster.client(), "gate-hold",
              "ActivationHoldExpired").size()
          + " slowFetches=" + traffic.verifiers().stream().filter(v -> v.name().equals(SLOW))
              .findFirst().orElseThrow().fetches()
          + " durationSeconds=" + (System.nanoTime() - started) / 1_000_000_000L);
      assertThat(traffic.mintErrors()).isEmpty();
      assertThat(failures).as("failed verifications by verifier").isEmpty();
      assertThat(traffic.verifications()).anySatisfy(v -> assertThat(v.verifier()).isEqualTo(SLOW));
      assertThat(held).as("holds happened: rt-slow lagged").isPositive();
    }
  }
}
