package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.keyset.GateDecision;
import io.macp.keyset.ObservedVerifier;
import io.macp.keyset.VerifierCoverage;
import io.macp.operator.verifiers.ObserverClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Why replicas could not be read reaches the VerifiersReady message, bounded. */
class VerifierGateReportTest {
  static final Instant AT = Instant.parse("2026-11-30T06:00:00Z");
  static final GateDecision COVERED = new GateDecision(GateDecision.Outcome.Covered, "k2", AT, AT,
      1, 1, List.of(), Optional.empty());

  static ObserverClient.Collected collected(int reached, List<String> failures) {
    return new ObserverClient.Collected(new VerifierCoverage(reached == 0 ? List.of()
        : List.of(new ObservedVerifier("10.0.0.9 (rt)", AT, Set.of("k1", "k2")))), reached,
        failures);
  }

  @Test
  void notCollectedSaysWhyNoReplicaCouldBeRead() {
    String tls = "https://10.0.3.7:3200: TLS: certificate names none of auth.a.svc,"
        + " auth.a.svc.cluster.local (its DNS names: none); the token was not sent";
    VerifierGateReport r = VerifierGateReport.of(COVERED,
        Optional.of(collected(0, List.of(tls))), 1);
    assertThat(r.reason()).isEqualTo(VerifierGateReport.NOT_COLLECTED);
    assertThat(r.ready()).isEqualTo(IssuerConditions.UNKNOWN);
    assertThat(r.message()).endsWith("; not read: " + tls);
    assertThat(r.status().getReplicasRead()).isEqualTo("0/1");
  }

  @Test
  void aPartialReadKeepsItsOutcomeAndNamesTheUnreadReplicas() {
    VerifierGateReport r = VerifierGateReport.of(COVERED,
        Optional.of(collected(1, List.of("https://10.0.3.8:3200: TLS handshake failed"))), 2);
    assertThat(r.reason()).isEqualTo("Covered");
    assertThat(r.message()).startsWith("1 of 1 known verifiers hold k2")
        .endsWith("; not read: https://10.0.3.8:3200: TLS handshake failed");
    assertThat(VerifierGateReport.of(COVERED, Optional.of(collected(1, List.of())), 1).message())
        .doesNotContain("not read");
  }

  /** Issue 13, input 2: in Hold, nothing read at a decision holds, and says so. */
  @Test
  void anUnobservedHoldIsShownEvenWhenNothingWasRead() {
    GateDecision unobserved = new GateDecision(GateDecision.Outcome.Unobserved, "k2", AT,
        AT.plusSeconds(60), 0, 0, List.of(), Optional.of(AT));
    VerifierGateReport r = VerifierGateReport.of(unobserved,
        Optional.of(collected(0, List.of("10.0.0.1:3200: answered 503"))), 2);
    assertThat(r.reason()).isEqualTo("Unobserved");
    assertThat(r.ready()).isEqualTo(IssuerConditions.FALSE);
    assertThat(r.message()).contains("0/2", "postponed to " + AT.plusSeconds(60))
        .endsWith("; not read: 10.0.0.1:3200: answered 503");
    assertThat(r.event()).hasValueSatisfying(e -> assertThat(e.reason())
        .isEqualTo(VerifierGateReport.ACTIVATION_HELD));
    // nothing read and nothing moved (Observe): still NotCollected, no event
    GateDecision observed = new GateDecision(GateDecision.Outcome.Unobserved, "k2", AT, AT, 0, 0,
        List.of(), Optional.empty());
    assertThat(VerifierGateReport.of(observed, Optional.empty(), 2).reason())
        .isEqualTo(VerifierGateReport.NOT_COLLECTED);
    GateDecision expired = new GateDecision(GateDecision.Outcome.MaxHoldReached, "k2", AT,
        AT.plusSeconds(60), 0, 0, List.of(), Optional.empty());
    assertThat(VerifierGateReport.of(expired, Optional.empty(), 2).event())
        .hasValueSatisfying(e -> assertThat(e.message()).contains("could be read (0/2)"));
  }

  @Test
  void atMostThreeReasonsAreQuoted() {
    List<String> many = IntStream.range(0, 7).mapToObj(i -> "10.0.0." + i + ": answered 401")
        .toList();
    assertThat(VerifierGateReport.unread(many))
        .contains("10.0.0.0", "10.0.0.2").doesNotContain("10.0.0.3")
        .endsWith(" and 4 more");
  }
}
