package io.macp.operator.reconciler;

import static io.macp.operator.reconciler.TestKeys.POLICY;
import static io.macp.operator.reconciler.TestKeys.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.macp.keyset.GateDecision;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySpec;
import io.macp.keyset.ObservedVerifier;
import io.macp.keyset.RotationRequests;
import io.macp.keyset.VerifierCoverage;
import io.fabric8.kubernetes.api.model.Condition;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.verifiers.ObserverClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two reconciles that decide from the same stale status (the second triggered by the first's
 * status write, its cache still holding the status before it) make the same decision and must
 * raise its Event once. Found with activationGate Hold: 8 of 9 hold decisions raised two
 * ActivationHeld Warnings 40-160 ms apart. Each pass here computes its events exactly as a
 * reconcile does (the same planners and reports, from the same previous status, at its own
 * instant) and records them through the operator's recorder on the CRUD mock.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class DuplicateDecisionEventsTest {
  static final String NS = "macp";
  static final String SLOW = "10.0.0.9 (rt-slow)";
  KubernetesClient client;
  MacpIssuer stale;

  @BeforeEach
  void issuer() {
    stale = new MacpIssuer();
    stale.setMetadata(new ObjectMetaBuilder().withName("dup").withNamespace(NS)
        .withUid("0b7d6c1e-3f0a-4a59-9a1e-6f1c2d3e4f50").withResourceVersion("7").build());
    stale.setStatus(new MacpIssuerStatus());
  }

  void record(Instant at, List<KeyEvent> events) {
    IssuerEventRecorder recorder = new IssuerEventRecorder(client, Clock.fixed(at, ZoneOffset.UTC));
    events.forEach(e -> recorder.record(stale, e));
  }

  List<Event> events(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  /** A Hold decision: the first pass decides at clock precision, the second reads it back. */
  static KeyEvent held(Instant now, Instant activateAt) {
    GateDecision d = new GateDecision(GateDecision.Outcome.Held, "k2", T0, activateAt, 1, 0,
        List.of(new ObservedVerifier(SLOW, now, Set.of("k1"))), Optional.empty());
    return VerifierGateReport.of(d, Optional.of(new ObserverClient.Collected(
        new VerifierCoverage(List.of(new ObservedVerifier(SLOW, now, Set.of("k1")))), 2,
        List.of())), 2).event().orElseThrow();
  }

  @Test
  void aHoldDecidedByTwoReconcilesFromTheSameStaleStatusRaisesOneActivationHeld() {
    Instant first = T0.plusNanos(1_234_567_000L);
    Instant decided = first.plusSeconds(6).plusNanos(891_000); // now + D + 2 step, microseconds
    record(first, List.of(held(first, decided)));
    Instant second = first.plusMillis(120);
    // The next reconcile reads the postponed activateAt back from the key set (milliseconds).
    record(second, List.of(held(second, decided.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))));
    assertThat(events(VerifierGateReport.ACTIVATION_HELD)).hasSize(1);

    // A later hold decision (a new activateAt) is a new event.
    record(second.plusSeconds(4), List.of(held(second.plusSeconds(4), decided.plusSeconds(4))));
    assertThat(events(VerifierGateReport.ACTIVATION_HELD)).hasSize(2);
  }

  @Test
  void aRevocationSeenByTwoReconcilesFromTheSameStaleStatusRaisesEachKeyEventOnce() {
    KeySet set = TestKeys.genesis();
    String active = set.keys().get(0).kid();
    var shown = IssuerStatusBuilder.keyStatuses(set, T0);
    KeySet revoked = TestKeys.PLANNER.plan(set, POLICY, KeySpec.es256(), T0.plusSeconds(2),
        RotationRequests.revoke(active)).desired();
    Instant first = T0.plusSeconds(2);
    Instant second = first.plusMillis(80);
    // KeyRevoked's message names now + D + C, so the two passes' messages differ.
    record(first, KeyEventsDiffer.diff(shown, revoked, POLICY, first));
    record(second, KeyEventsDiffer.diff(shown, revoked, POLICY, second));
    assertThat(events(KeyEventsDiffer.KEY_REVOKED)).hasSize(1);
    assertThat(events(KeyEventsDiffer.KEY_ACTIVATED)).hasSize(1);
    assertThat(events(KeyEventsDiffer.KEY_GENERATED)).hasSize(1);
  }

  @Test
  void aMintStateChangeSeenByTwoReconcilesFromTheSameStaleStatusRaisesOneWarning() {
    MintState mint = new MintState(false, MintState.REASON_AUTHENTICATION_NONE,
        "POST /tokens is served without authentication", false);
    MacpIssuerStatus previous = new MacpIssuerStatus();
    Condition secured = new Condition();
    secured.setType(IssuerConditions.MINT_SECURED);
    secured.setStatus("True");
    secured.setReason("Secured");
    previous.setConditions(new ArrayList<>(List.of(secured)));
    record(T0, MacpIssuerReconciler.mintEvent(previous, mint).stream().toList());
    record(T0.plusMillis(60), MacpIssuerReconciler.mintEvent(previous, mint).stream().toList());
    assertThat(events(MacpIssuerReconciler.MINT_UNAUTHENTICATED_EVENT)).hasSize(1);
  }

  @Test
  void aDeclaredVerifierVerdictSeenByTwoReconcilesRaisesOneWarning() {
    DeclaredVerifiersReport failed = DeclaredVerifiersReport.of(
        new io.macp.operator.verifiers.DeclaredVerifierReader.Failed(
            "the operator may not list statefulsets"),
        DeclaredVerifiersReportTest.EXPECTED, NS, "app=rt");
    record(T0, failed.event(false).stream().toList());
    record(T0.plusMillis(150), failed.event(false).stream().toList());
    assertThat(events(DeclaredVerifiersReport.NOT_CHECKED_EVENT)).hasSize(1);
  }
}
