package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import io.macp.keyset.ObservedVerifier;
import io.macp.keyset.VerifierCoverage;
import io.macp.operator.model.v1alpha1.ActivationGateSpec;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.verifiers.ObserverClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The activation gate through the real operator on the CRUD mock: a verifier view that lacks the
 * next key is reported before the activation (Observe) and holds it back up to maxHold (Hold).
 * The view comes from a stand-in source (the replicas' HTTP side is ObserverClientTest's).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ActivationGateReconcileTest {
  static final String SLOW = "10.0.0.9 (rt-slow)";
  KubernetesClient client;
  IssuerTestCluster cluster;
  final AtomicBoolean lagging = new AtomicBoolean(true);
  /** What the reconciler told the source about spec.mint.tls, per call. */
  final List<Optional<String>> tlsSecrets = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** rt-slow holds only the signer's JWKS while lagging, everything once it caught up. */
  void start(String name) {
    cluster = new IssuerTestCluster(client).startOperator((issuer, tlsSecret) -> {
      tlsSecrets.add(tlsSecret);
      KeySet ks = cluster.keySet(name);
      if (ks == null) {
        return Optional.empty();
      }
      Instant now = Instant.now();
      Set<String> kids = lagging.get()
          ? ks.signerAt(now).map(k -> Set.of(k.kid())).orElse(Set.of())
          : ks.keys().stream().map(ManagedKey::kid).collect(Collectors.toSet());
      return Optional.of(new ObserverClient.Collected(new VerifierCoverage(
          List.of(new ObservedVerifier(SLOW, now, kids))), 1, List.of()));
    });
  }

  /** Period 6s, cache 2s (decision window 2s wide), no D, maxHold as given. */
  static MacpIssuerSpec spec(String mode, String maxHold) {
    MacpIssuerSpec spec = IssuerTestCluster.fastSpec();
    spec.getRotation().setPeriod("6s");
    spec.getRotation().setVerifierCacheTtl("2s");
    ActivationGateSpec gate = new ActivationGateSpec();
    gate.setMode(mode);
    gate.setMaxHold(maxHold);
    spec.getRotation().setActivationGate(gate);
    return spec;
  }

  @Test
  void holdPostponesTheActivationUpToMaxHoldAndSaysSo() {
    start("held");
    cluster.create("held", spec("Hold", "4s"));
    MacpIssuerStatus held = cluster.awaitStatus("held", s -> s.getVerifiers() != null
        && "Held".equals(s.getVerifiers().getOutcome()));
    Instant planned = Instant.parse(held.getVerifiers().getPlannedActivateAt());
    assertThat(Instant.parse(held.getVerifiers().getActivateAt())).isAfter(planned);
    assertThat(held.getVerifiers().getHoldouts()).containsExactly(SLOW);
    assertThat(held.getVerifiers().getOldestHoldout()).isEqualTo(SLOW);
    assertThat(IssuerTestCluster.conditionOf(held, IssuerConditions.VERIFIERS_READY))
        .hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("Held");
          assertThat(c.getMessage()).contains(SLOW);
        });
    String nextKid = held.getVerifiers().getNextKid();
    assertThat(cluster.keySet("held").find(nextKid).orElseThrow().activateAt()).isAfter(planned);
    assertThat(cluster.events("held", VerifierGateReport.ACTIVATION_HELD)).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getMessage()).contains(SLOW, nextKid));

    // rt-slow never catches up: the key activates at planned + maxHold, with a Warning.
    cluster.awaitStatus("held", s -> nextKid.equals(s.getActiveKid()));
    ManagedKey activated = cluster.keySet("held").find(nextKid).orElseThrow();
    assertThat(activated.activateAt()).isAfterOrEqualTo(planned.plusSeconds(3))
        .isBeforeOrEqualTo(planned.plusSeconds(4));
    assertThat(cluster.events("held", VerifierGateReport.ACTIVATION_HOLD_EXPIRED)).isNotEmpty();
  }

  /**
   * Issue 13, input 2: an issuer whose replicas can never be read. Hold holds the activation
   * (Unobserved: an unseen verifier may lack the key), never past maxHold, then activates it
   * with the usual Warning.
   */
  @Test
  void holdWithAnIssuerThatCanNeverBeReadHoldsUntilMaxHoldThenActivates() {
    cluster = new IssuerTestCluster(client).startOperator((issuer, tlsSecret) ->
        Optional.of(new ObserverClient.Collected(VerifierCoverage.NONE, 0,
            List.of("http://10.0.0.1:3200: not reachable (ConnectException)"))));
    cluster.create("dark", spec("Hold", "4s"));
    MacpIssuerStatus held = cluster.awaitStatus("dark", s -> s.getVerifiers() != null
        && "Unobserved".equals(s.getVerifiers().getOutcome()));
    Instant planned = Instant.parse(held.getVerifiers().getPlannedActivateAt());
    assertThat(Instant.parse(held.getVerifiers().getActivateAt())).isAfter(planned);
    assertThat(IssuerTestCluster.conditionOf(held, IssuerConditions.VERIFIERS_READY))
        .hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("Unobserved");
          assertThat(c.getMessage()).contains("not every replica's view could be read",
              "not reachable");
        });
    String nextKid = held.getVerifiers().getNextKid();
    assertThat(cluster.events("dark", VerifierGateReport.ACTIVATION_HELD)).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getMessage()).contains(nextKid, "could be read"));

    cluster.awaitStatus("dark", s -> nextKid.equals(s.getActiveKid()));
    ManagedKey activated = cluster.keySet("dark").find(nextKid).orElseThrow();
    assertThat(activated.activateAt()).isAfterOrEqualTo(planned.plusSeconds(3))
        .isBeforeOrEqualTo(planned.plusSeconds(4));
    assertThat(cluster.events("dark", VerifierGateReport.ACTIVATION_HOLD_EXPIRED)).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getMessage()).contains("could be read"));
  }

  @Test
  void observeNamesTheLaggingVerifierBeforeTheActivationAndChangesNoTime() {
    start("watched");
    cluster.create("watched", spec("Observe", "1h"));
    MacpIssuerStatus lag = cluster.awaitStatus("watched", s -> s.getVerifiers() != null
        && "Lagging".equals(s.getVerifiers().getOutcome()));
    Instant reportedAt = Instant.now();
    Instant planned = Instant.parse(lag.getVerifiers().getPlannedActivateAt());
    assertThat(reportedAt).isBefore(planned);
    assertThat(lag.getVerifiers().getActivateAt()).isEqualTo(lag.getVerifiers()
        .getPlannedActivateAt());
    assertThat(cluster.events("watched", VerifierGateReport.VERIFIERS_LAGGING)).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getMessage()).contains(SLOW));

    // Caught up: Covered, VerifiersReady True.
    lagging.set(false);
    MacpIssuerStatus covered = cluster.awaitStatus("watched", s -> s.getVerifiers() != null
        && List.of("Covered", "Waiting").contains(s.getVerifiers().getOutcome())
        && IssuerTestCluster.isTrue(s, IssuerConditions.VERIFIERS_READY));
    assertThat(covered.getVerifiers().getHoldouts()).isEmpty();
    assertThat(tlsSecrets).as("plain HTTP").isNotEmpty().allSatisfy(t -> assertThat(t).isEmpty());
  }

  @Test
  void theSourceIsToldWhetherTheMintPortServesHttpsAndWithWhichSecret() {
    start("tls");
    MacpIssuerSpec spec = spec("Observe", "1h");
    io.macp.operator.model.v1alpha1.MintSpec mint = new io.macp.operator.model.v1alpha1.MintSpec();
    mint.setTls(io.macp.operator.resources.TestMint.tls("tls-cert"));
    spec.setMint(mint);
    cluster.create("tls", spec);
    cluster.awaitStatus("tls", s -> s.getVerifiers() != null);
    assertThat(tlsSecrets).isNotEmpty().allSatisfy(t -> assertThat(t).contains("tls-cert"));
  }

  @Test
  void withTheGateOffNothingIsCollectedOrShown() {
    start("plain");
    lagging.set(true);
    cluster.create("plain", IssuerTestCluster.fastSpec());
    MacpIssuerStatus s = cluster.awaitStatus("plain", st -> st.getActiveKid() != null);
    assertThat(s.getVerifiers()).isNull();
    assertThat(IssuerTestCluster.condition(s, IssuerConditions.VERIFIERS_READY)).isEmpty();
  }
}
