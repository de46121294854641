package io.macp.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.macp.keyset.GateDecision;
import io.macp.keyset.GateInput;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetPlan;
import io.macp.keyset.KeySetPlanner;
import io.macp.keyset.ManagedKey;
import io.macp.keyset.PlanRefusedException;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.resources.OptimisticUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One pass of keeping an issuer's key set ahead of time: read the key Secret, plan with {@link
 * KeySetPlanner} (which makes every timeline decision), and write the result by compare-and-swap.
 * A conflict means someone else wrote in between: re-read and re-plan, never overwrite.
 */
final class KeyMaintenance {
  static final int MAX_ATTEMPTS = 5;
  static final String KEY_SECRET_LOST = "KeySecretLost";
  static final String KEY_SET_CORRUPT = IssuerConditions.REASON_KEY_SET_CORRUPT;
  static final String KEY_SET_PLAN_REFUSED = "KeySetPlanRefused";
  static final String ROTATION_REQUESTED = "RotationRequested";
  static final String REVOKE_REQUESTED = "RevokeRequested";
  static final String REVOKE_UNKNOWN_KID = "RevokeUnknownKid";

  /** What the pass did. */
  record Outcome(
      KeysState keys,
      Optional<Instant> nextDeadline,
      String handledRotateNonce,
      String handledRevoke,
      boolean rotateApplied,
      boolean revokeApplied,
      List<KeyEvent> events,
      GateDecision gate) {}

  private final KeySecretStore store;
  private final KeySetPlanner planner;

  KeyMaintenance(KeySecretStore store, KeySetPlanner planner) {
    this.store = store;
    this.planner = planner;
  }

  Outcome run(MacpIssuer issuer, IssuerPolicy policy, Instant now) {
    return run(issuer, policy, now, GateInput.OFF);
  }

  /** @param gate the activation gate's inputs (the verifiers' view), applied by the planner */
  Outcome run(MacpIssuer issuer, IssuerPolicy policy, Instant now, GateInput gate) {
    MacpIssuerStatus status = issuer.getStatus() == null ? new MacpIssuerStatus() : issuer.getStatus();
    // someone wrote the Secret since it was read: read and plan again
    return OptimisticUpdate.retry(MAX_ATTEMPTS, () -> attempt(issuer, policy, now, gate, status),
        last -> new IllegalStateException("key Secret " + IssuerNames.keySecret(issuer)
            + " kept changing while it was being written (" + MAX_ATTEMPTS + " conflicts)", last));
  }

  /** One read, plan and compare-and-swap write of the key Secret. */
  private Outcome attempt(MacpIssuer issuer, IssuerPolicy policy, Instant now, GateInput gate,
      MacpIssuerStatus status) {
    KeySecretStore.Stored stored = store.read(issuer);
    if (stored instanceof KeySecretStore.Corrupt corrupt) {
      return corrupt(issuer, status, corrupt);
    }
    KeySecretStore.Loaded loaded =
        stored instanceof KeySecretStore.Loaded l ? l : null;
    AnnotationRequests requests = AnnotationRequests.read(
        issuer.getMetadata().getAnnotations(),
        handled(status.getHandledRotateNonce(), loaded, KeySecretStore.HANDLED_ROTATE),
        handled(status.getHandledRevoke(), loaded, KeySecretStore.HANDLED_REVOKE));
    KeySet current = loaded == null ? KeySet.empty() : loaded.keySet();
    KeySetPlan plan;
    try {
      plan = planner.plan(current, policy.rotation(), policy.keySpec(), now,
          requests.toRotationRequests(), policy.issuerSettings(), gate);
    } catch (PlanRefusedException e) {
      return refused(issuer, status, loaded == null ? null : current, e);
    }

    List<KeyEvent> events = new ArrayList<>();
    if (loaded == null) {
      store.create(issuer, policy.retainKeysOnDelete(), plan.desired(), requests.rotateNonce(),
          requests.revokeValue());
      List<KeyStatus> known = status.getKeys() == null ? List.of() : status.getKeys();
      if (!known.isEmpty()) {
        events.add(KeyEvent.warning(KEY_SECRET_LOST, "key Secret " + IssuerNames.keySecret(issuer)
            + " was deleted; a new key set was created. Tokens signed by the lost keys ("
            + known.stream().map(KeyStatus::getKid).collect(Collectors.joining(", "))
            + ") no longer verify once verifiers refresh their JWKS; clients must get new"
            + " tokens"));
      }
    } else {
      Secret desired = KeySecretStore.desired(loaded.secret(), issuer,
          policy.retainKeysOnDelete(), plan.desired(), requests.rotateNonce(),
          requests.revokeValue());
      if (KeySecretStore.differs(loaded.secret(), desired)) {
        store.replace(desired);
      }
    }
    events.addAll(requestEvents(requests, plan, now));
    return new Outcome(
        KeysState.ready(plan.desired()),
        plan.nextDeadline(),
        firstNonNull(requests.rotateNonce(),
            loaded == null ? null : loaded.annotation(KeySecretStore.HANDLED_ROTATE),
            status.getHandledRotateNonce()),
        firstNonNull(requests.revokeValue(),
            loaded == null ? null : loaded.annotation(KeySecretStore.HANDLED_REVOKE),
            status.getHandledRevoke()),
        requests.rotateNonce() != null,
        requests.revokeValue() != null,
        events,
        plan.gate());
  }

  /**
   * The planner refused its own plan (its reader would refuse it, or it is too large): nothing is
   * written, the requests stay pending, and status keeps showing what is stored.
   */
  private static Outcome refused(
      MacpIssuer issuer, MacpIssuerStatus status, KeySet stored, PlanRefusedException e) {
    String message = "the key set was not changed: " + e.getMessage()
        + "; keys are not rotated and requests wait. This is a bug: please report it";
    List<KeyEvent> events = new ArrayList<>();
    boolean alreadyReported = status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> IssuerConditions.KEYS_READY.equals(c.getType())
            && KEY_SET_PLAN_REFUSED.equals(c.getReason()) && message.equals(c.getMessage()));
    if (!alreadyReported) {
      events.add(KeyEvent.warning(KEY_SET_PLAN_REFUSED, message));
    }
    return new Outcome(new KeysState(stored, KEY_SET_PLAN_REFUSED, message), Optional.empty(),
        status.getHandledRotateNonce(), status.getHandledRevoke(), false, false, events,
        offDecision());
  }

  private static Outcome corrupt(
      MacpIssuer issuer, MacpIssuerStatus status, KeySecretStore.Corrupt corrupt) {
    String message = "key Secret " + IssuerNames.keySecret(issuer) + " is not a usable key set ("
        + corrupt.problem() + "); it is left untouched and keys are not rotated. Restore it, or"
        + " delete it to get a new key set (tokens signed by its keys then stop verifying)";
    List<KeyEvent> events = new ArrayList<>();
    boolean alreadyReported = status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> IssuerConditions.KEYS_READY.equals(c.getType())
            && KEY_SET_CORRUPT.equals(c.getReason()) && message.equals(c.getMessage()));
    if (!alreadyReported) {
      events.add(KeyEvent.warning(KEY_SET_CORRUPT, message));
    }
    return new Outcome(KeysState.problem(KEY_SET_CORRUPT, message), Optional.empty(),
        status.getHandledRotateNonce(), status.getHandledRevoke(), false, false, events,
        offDecision());
  }

  /** The decision of a pass that planned nothing. */
  static GateDecision offDecision() {
    return new GateDecision(GateDecision.Outcome.Off, null, null, null, 0, 0, List.of(),
        Optional.empty());
  }

  private static List<KeyEvent> requestEvents(
      AnnotationRequests requests, KeySetPlan plan, Instant now) {
    List<KeyEvent> events = new ArrayList<>();
    if (requests.rotateNonce() != null) {
      String next = plan.desired().nextToActivateAfter(now)
          .map(k -> k.kid() + " at " + k.activateAt())
          .orElse("none");
      events.add(KeyEvent.normal(ROTATION_REQUESTED, "rotate request '" + requests.rotateNonce()
          + "' applied; signer at now: "
          + plan.desired().signerAt(now).map(ManagedKey::kid).orElse("none")
          + "; next activation: " + next).decidedBy(requests.rotateNonce()));
    }
    if (requests.revokeValue() != null) {
      events.add(KeyEvent.normal(REVOKE_REQUESTED,
          "revoke request '" + requests.revokeValue() + "' applied")
          .decidedBy(requests.revokeValue()));
    }
    for (String w : plan.warnings()) {
      events.add(KeyEvent.warning(w.startsWith("revoke: no key") ? REVOKE_UNKNOWN_KID : "KeyPlanWarning", w));
    }
    return events;
  }

  private static List<String> handled(
      String fromStatus, KeySecretStore.Loaded loaded, String annotation) {
    List<String> out = new ArrayList<>();
    if (fromStatus != null) {
      out.add(fromStatus);
    }
    if (loaded != null && loaded.annotation(annotation) != null) {
      out.add(loaded.annotation(annotation));
    }
    return out;
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    for (T v : values) {
      if (Objects.nonNull(v)) {
        return v;
      }
    }
    return null;
  }
}
