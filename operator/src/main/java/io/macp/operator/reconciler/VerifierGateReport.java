package io.macp.operator.reconciler;

import io.macp.keyset.GateDecision;
import io.macp.keyset.ObservedVerifier;
import io.macp.operator.model.v1alpha1.VerifiersStatus;
import io.macp.operator.verifiers.ObserverClient;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The activation gate's decision as status ({@code status.verifiers}), the {@code VerifiersReady}
 * condition and an event. Pure. The event names the lagging clients BEFORE the activation (the
 * gate decides in the window {@code [activateAt − D − C, activateAt − D]}, docs/rotation.md).
 *
 * @param status status.verifiers
 * @param ready the VerifiersReady condition's status: True, False or Unknown
 * @param reason the condition's reason (the outcome)
 * @param message the condition's message
 * @param event the event to raise if the decision is new, if any
 */
record VerifierGateReport(VerifiersStatus status, String ready, String reason, String message,
    Optional<KeyEvent> event) {
  static final String VERIFIERS_LAGGING = "VerifiersLagging";
  static final String ACTIVATION_HELD = "ActivationHeld";
  static final String ACTIVATION_HOLD_EXPIRED = "ActivationHoldExpired";
  static final String NOT_COLLECTED = "NotCollected";
  static final int MAX_NAMES = 10;
  static final int MAX_FAILURES = 3;

  static VerifierGateReport of(GateDecision d, Optional<ObserverClient.Collected> collected,
      int replicasAsked) {
    VerifiersStatus s = new VerifiersStatus();
    s.setReplicasRead(collected.map(c -> c.reached() + "/" + replicasAsked).orElse("0/"
        + replicasAsked));
    String unread = collected.map(c -> unread(c.failures())).orElse("");
    boolean nothingRead = collected.isEmpty() || collected.get().reached() == 0;
    if (nothingRead && !movesOrActivates(d)) {
      s.setOutcome(NOT_COLLECTED);
      return new VerifierGateReport(s, IssuerConditions.UNKNOWN, NOT_COLLECTED,
          "no issuer replica's view of its JWKS clients could be read, so no verifier is known;"
              + " Observe holds nothing, Hold holds the next activation from its decision window"
              + " (Unobserved) up to maxHold (docs/verifiers.md)" + unread, Optional.empty());
    }
    VerifierGateReport report = decided(d, s);
    return unread.isEmpty() ? report : new VerifierGateReport(report.status(), report.ready(),
        report.reason(), report.message() + unread, report.event());
  }

  /** Whether the decision postponed the key or lets it activate with a Warning: always shown. */
  private static boolean movesOrActivates(GateDecision d) {
    return d.activatesWithHoldouts() || (d.activateAt() != null
        && d.plannedActivateAt() != null && d.activateAt().isAfter(d.plannedActivateAt()));
  }

  /**
   * Why replicas could not be read, for the condition's message: the first
   * {@value #MAX_FAILURES} failures (pod address and reason; ObserverClient's messages carry no
   * credential).
   */
  static String unread(List<String> failures) {
    if (failures.isEmpty()) {
      return "";
    }
    return "; not read: " + failures.stream().limit(MAX_FAILURES).collect(Collectors.joining("; "))
        + (failures.size() > MAX_FAILURES
            ? " and " + (failures.size() - MAX_FAILURES) + " more" : "");
  }

  private static VerifierGateReport decided(GateDecision d, VerifiersStatus s) {
    s.setOutcome(d.outcome().name());
    s.setNextKid(d.kid());
    s.setPlannedActivateAt(d.plannedActivateAt() == null ? null : d.plannedActivateAt().toString());
    s.setActivateAt(d.activateAt() == null ? null : d.activateAt().toString());
    s.setKnown(d.known());
    s.setHoldingNextKey(d.holders());
    // Waiting: verifiers still have time to fetch the key, so none is named as lagging yet.
    List<String> names = d.outcome() == GateDecision.Outcome.Waiting ? List.of()
        : d.holdouts().stream().map(ObservedVerifier::name).toList();
    s.setOldestHoldout(names.isEmpty() ? null : names.get(0));
    s.setHoldouts(names.stream().limit(MAX_NAMES).collect(Collectors.toList()));
    String who = names.isEmpty()
        ? "unknown, not every issuer replica's view could be read (" + s.getReplicasRead() + ")"
        : names.stream().limit(MAX_NAMES).collect(Collectors.joining(", "))
            + (names.size() > MAX_NAMES ? " and " + (names.size() - MAX_NAMES) + " more" : "");
    String counts = d.holders() + " of " + d.known() + " known verifiers hold " + d.kid();
    return switch (d.outcome()) {
      case Off, NoPendingKey -> new VerifierGateReport(s, IssuerConditions.TRUE, d.outcome().name(),
          "no key is pending", Optional.empty());
      case Covered -> new VerifierGateReport(s, IssuerConditions.TRUE, "Covered",
          counts + ", which activates at " + d.activateAt(), Optional.empty());
      case Waiting -> new VerifierGateReport(s, IssuerConditions.TRUE, "Waiting",
          counts + "; the others have until the decision window before " + d.activateAt()
              + " to fetch it", Optional.empty());
      case Lagging -> new VerifierGateReport(s, IssuerConditions.FALSE, "Lagging",
          counts + "; lacking it: " + who,
          Optional.of(KeyEvent.warning(VERIFIERS_LAGGING, "key " + d.kid() + " activates at "
              + d.activateAt() + " and these verifiers lack it: " + who + " (" + counts
              + "); their tokens of the new key will be rejected until they refresh. Check"
              + " their MACP_AUTH_JWKS_TTL_SECS against spec.rotation.verifierCacheTtl")
              .decidedBy(d.kid(), stored(d.activateAt()))));
      case Held -> new VerifierGateReport(s, IssuerConditions.FALSE, "Held",
          counts + "; activation postponed to " + d.activateAt() + " for: " + who,
          Optional.of(KeyEvent.warning(ACTIVATION_HELD, "activation of " + d.kid()
              + " postponed to " + d.activateAt() + " (planned " + d.plannedActivateAt()
              + ") because these verifiers lack it: " + who).decidedBy(d.kid(), stored(d.activateAt()))));
      case Unobserved -> movesOrActivates(d)
          ? new VerifierGateReport(s, IssuerConditions.FALSE, "Unobserved",
              counts + " among the replicas read, but not every replica's view could be read ("
                  + s.getReplicasRead() + "); activation postponed to " + d.activateAt(),
              Optional.of(KeyEvent.warning(ACTIVATION_HELD, "activation of " + d.kid()
                  + " postponed to " + d.activateAt() + " (planned " + d.plannedActivateAt()
                  + ") because not every issuer replica's view of its JWKS clients could be read ("
                  + s.getReplicasRead() + "): verifiers that fetched only from the others are"
                  + " not seen").decidedBy(d.kid(), stored(d.activateAt()))))
          : new VerifierGateReport(s, IssuerConditions.FALSE, "Unobserved",
              counts + " among the replicas read, but not every replica's view could be read ("
                  + s.getReplicasRead() + "); nothing is held (Observe, or too late to hold)"
                  + " and it activates at " + d.activateAt(), Optional.empty());
      case MaxHoldReached, TooLate -> new VerifierGateReport(s, IssuerConditions.FALSE,
          d.outcome().name(), counts + "; activating at " + d.activateAt() + " anyway; lacking"
              + " it: " + who,
          Optional.of(KeyEvent.warning(ACTIVATION_HOLD_EXPIRED, "key " + d.kid()
              + " activates at " + d.activateAt() + " although these verifiers lack it ("
              + (d.outcome() == GateDecision.Outcome.TooLate
                  ? "too close to the activation to postpone it"
                  : "postponed by maxHold already") + "): " + who)
              .decidedBy(d.kid(), stored(d.activateAt()))));
    };
  }

  /**
   * An activation instant as the key set stores it (milliseconds, {@code ManagedKey}): a hold
   * decided now carries the clock's precision, the same decision read back from the key set by
   * the next reconcile carries milliseconds; both are one decision.
   */
  private static java.time.Instant stored(java.time.Instant t) {
    return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }
}
