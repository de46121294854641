package io.macp.operator.reconciler;

import static io.macp.operator.reconciler.IssuerConditions.AVAILABLE;
import static io.macp.operator.reconciler.IssuerConditions.FALSE;
import static io.macp.operator.reconciler.IssuerConditions.INVALID_SPEC;
import static io.macp.operator.reconciler.IssuerConditions.KEYS_READY;
import static io.macp.operator.reconciler.IssuerConditions.MINT_SECURED;
import static io.macp.operator.reconciler.IssuerConditions.READY;
import static io.macp.operator.reconciler.IssuerConditions.ROTATION_BLOCKED;
import static io.macp.operator.reconciler.IssuerConditions.TRUE;
import static io.macp.operator.reconciler.IssuerConditions.UNKNOWN;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a MacpIssuer's status from what one reconcile learned. Pure. Never copies key material:
 * only kids, algorithms, phases and timestamps (RFC 3339, UTC). A condition's lastTransitionTime
 * changes only when its status value changes.
 */
public final class IssuerStatusBuilder {

  /** Everything the status is made of. */
  public record Input(
      Long generation,
      MacpIssuerStatus previous,
      List<String> specProblems,
      KeysState keys,
      Availability availability,
      String jwksUrl,
      String mintUrl,
      String handledRotateNonce,
      String handledRevoke,
      Instant now,
      MintState mint) {
    /** Without a mint verdict (nothing about the mint was looked at): MintSecured is kept. */
    public Input(Long generation, MacpIssuerStatus previous, List<String> specProblems,
        KeysState keys, Availability availability, String jwksUrl, String mintUrl,
        String handledRotateNonce, String handledRevoke, Instant now) {
      this(generation, previous, specProblems, keys, availability, jwksUrl, mintUrl,
          handledRotateNonce, handledRevoke, now, null);
    }
  }

  private IssuerStatusBuilder() {}

  public static MacpIssuerStatus build(Input in) {
    MacpIssuerStatus prev = in.previous() == null ? new MacpIssuerStatus() : in.previous();
    MacpIssuerStatus s = new MacpIssuerStatus();
    s.setObservedGeneration(in.generation());
    s.setJwksUrl(in.jwksUrl());
    s.setMintUrl(in.mintUrl());
    s.setHandledRotateNonce(in.handledRotateNonce());
    s.setHandledRevoke(in.handledRevoke());
    s.setTokenReviewBinding(prev.getTokenReviewBinding());

    KeySet set = in.keys().keySet();
    if (set != null) {
      s.setKeys(keyStatuses(set, in.now()));
      s.setActiveKid(set.signerAt(in.now()).map(ManagedKey::kid).orElse(null));
      s.setNextRotationAt(nextActivation(set, in.now()).map(Instant::toString).orElse(null));
    } else {
      // Keys unknown (invalid spec, corrupt Secret): show the last known timeline, not nothing.
      s.setKeys(prev.getKeys() == null ? new ArrayList<>() : new ArrayList<>(prev.getKeys()));
      s.setActiveKid(prev.getActiveKid());
      s.setNextRotationAt(prev.getNextRotationAt());
    }

    List<Condition> previous = prev.getConditions() == null ? List.of() : prev.getConditions();
    List<Condition> conditions = new ArrayList<>();
    boolean specValid = in.specProblems().isEmpty();

    conditions.add(specValid
        ? condition(previous, INVALID_SPEC, FALSE, "SpecValid", "the spec is valid", in)
        : condition(previous, INVALID_SPEC, TRUE, IssuerConditions.REASON_INVALID_SPEC,
            "fix the spec; nothing that runs was changed: " + String.join("; ", in.specProblems()),
            in));

    Condition keysReady = keysReady(previous, specValid, set, in);
    conditions.add(keysReady);
    conditions.add(rotationBlocked(previous, specValid, in));
    Condition available = available(previous, in);
    conditions.add(available);
    MintState mint = in.mint();
    if (mint != null) {
      conditions.add(condition(previous, MINT_SECURED, mint.secured() ? TRUE : FALSE,
          mint.reason(), mint.message(), in));
    } else {
      find(previous, MINT_SECURED).ifPresent(conditions::add);
    }

    if (!specValid) {
      conditions.add(condition(previous, READY, FALSE, IssuerConditions.REASON_INVALID_SPEC,
          "the spec is invalid; see the InvalidSpec condition", in));
    } else if (mint != null && mint.blocksRollout()) {
      conditions.add(condition(previous, READY, FALSE, mint.reason(),
          "the spec is not rolled out; see the MintSecured condition", in));
    } else if (!TRUE.equals(keysReady.getStatus())) {
      conditions.add(condition(previous, READY, FALSE, keysReady.getReason(),
          keysReady.getMessage(), in));
    } else if (!TRUE.equals(available.getStatus())) {
      conditions.add(condition(previous, READY, FALSE, available.getReason(),
          available.getMessage(), in));
    } else {
      conditions.add(condition(previous, READY, TRUE, "Ready",
          "keys are ready and the issuer serves", in));
    }
    s.setConditions(conditions);
    return s;
  }

  /**
   * The previous status with Ready=False for a reconcile that failed; everything else stays as it
   * was last observed, since the failure says nothing new about keys or replicas.
   */
  public static MacpIssuerStatus failed(MacpIssuerStatus previous, Long generation, String message,
      Instant now) {
    MacpIssuerStatus prev = previous == null ? new MacpIssuerStatus() : previous;
    MacpIssuerStatus s = new MacpIssuerStatus();
    s.setObservedGeneration(prev.getObservedGeneration());
    s.setKeys(prev.getKeys());
    s.setActiveKid(prev.getActiveKid());
    s.setNextRotationAt(prev.getNextRotationAt());
    s.setJwksUrl(prev.getJwksUrl());
    s.setMintUrl(prev.getMintUrl());
    s.setHandledRotateNonce(prev.getHandledRotateNonce());
    s.setHandledRevoke(prev.getHandledRevoke());
    s.setTokenReviewBinding(prev.getTokenReviewBinding());
    s.setDeclaredVerifiers(prev.getDeclaredVerifiers()); // its condition is kept too
    List<Condition> previousConditions =
        prev.getConditions() == null ? List.of() : prev.getConditions();
    List<Condition> conditions = new ArrayList<>();
    for (Condition c : previousConditions) {
      if (!READY.equals(c.getType())) {
        conditions.add(c);
      }
    }
    Input in = new Input(generation, prev, List.of(), KeysState.untouched(),
        Availability.NO_DEPLOYMENT, null, null, null, null, now);
    conditions.add(condition(previousConditions, READY, FALSE, IssuerConditions.REASON_RECONCILE_FAILED,
        message, in));
    s.setConditions(conditions);
    return s;
  }

  static List<KeyStatus> keyStatuses(KeySet set, Instant now) {
    List<KeyStatus> out = new ArrayList<>();
    for (ManagedKey k : set.keys()) {
      KeyStatus ks = new KeyStatus();
      ks.setKid(k.kid());
      ks.setAlgorithm(k.algorithm().name());
      ks.setPhase(set.phaseAt(k, now).name());
      ks.setCreatedAt(time(k.createdAt()));
      ks.setActivateAt(time(k.activateAt()));
      ks.setRetireAt(time(k.retireAt()));
      ks.setRemoveAt(time(k.removeAt()));
      ks.setRevokedAt(time(k.revokedAt()));
      out.add(ks);
    }
    return out;
  }

  /** When the pre-published next key starts to sign: the next scheduled rotation. */
  static Optional<Instant> nextActivation(KeySet set, Instant now) {
    return set.nextToActivateAfter(now).map(ManagedKey::activateAt);
  }

  private static Condition keysReady(
      List<Condition> previous, boolean specValid, KeySet set, Input in) {
    KeysState keys = in.keys();
    if (keys.problemReason() != null) {
      return condition(previous, KEYS_READY, FALSE, keys.problemReason(), keys.problemMessage(), in);
    }
    if (set != null) {
      String active = set.signerAt(in.now()).map(ManagedKey::kid).orElse("none");
      String next = nextActivation(set, in.now())
          .map(t -> "; the next key activates at " + t)
          .orElse("");
      return condition(previous, KEYS_READY, TRUE, "KeySetReady",
          set.publishedAt(in.now()).size() + " key(s) published; active kid " + active + next, in);
    }
    if (!specValid) {
      Optional<Condition> old = find(previous, KEYS_READY);
      if (old.isPresent()) {
        return old.get(); // nothing about the keys was looked at: keep what was known
      }
    }
    return condition(previous, KEYS_READY, UNKNOWN, "KeySetUnknown",
        "the key set has not been read yet", in);
  }

  private static Condition rotationBlocked(List<Condition> previous, boolean specValid, Input in) {
    if (!specValid) {
      return condition(previous, ROTATION_BLOCKED, TRUE, IssuerConditions.REASON_INVALID_SPEC,
          "keys are not maintained until the spec is fixed; running issuers keep signing with and"
              + " switching to keys already published",
          in);
    }
    if (in.keys().problemReason() != null) {
      return condition(previous, ROTATION_BLOCKED, TRUE, in.keys().problemReason(),
          in.keys().problemMessage(), in);
    }
    return condition(previous, ROTATION_BLOCKED, FALSE, "RotationScheduled",
        "the next key is published ahead of its activation", in);
  }

  private static Condition available(List<Condition> previous, Input in) {
    Availability a = in.availability();
    if (!a.deploymentFound()) {
      return condition(previous, AVAILABLE, FALSE, "DeploymentNotFound",
          "the issuer Deployment does not exist yet", in);
    }
    String counts = a.available() + "/" + a.desired() + " replicas available";
    if (a.available() >= a.desired() && a.available() > 0) {
      return condition(previous, AVAILABLE, TRUE, "ReplicasAvailable", counts, in);
    }
    if (a.isAvailable()) {
      return condition(previous, AVAILABLE, TRUE, "MinimumReplicasAvailable", counts, in);
    }
    return condition(previous, AVAILABLE, FALSE, "NoReplicasAvailable", counts, in);
  }

  private static Condition condition(
      List<Condition> previous, String type, String status, String reason, String message, Input in) {
    String transition = find(previous, type)
        .filter(c -> status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(Condition::getLastTransitionTime)
        .orElse(in.now().truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(in.generation())
        .withLastTransitionTime(transition)
        .build();
  }

  /**
   * Adds the activation gate's status.verifiers and the VerifiersReady condition (only with the
   * gate Observe or Hold; with Off neither appears).
   */
  static void withVerifiers(MacpIssuerStatus status, MacpIssuerStatus previous,
      VerifierGateReport report, Instant now) {
    status.setVerifiers(report.status());
    replaceCondition(status, previous, IssuerConditions.VERIFIERS_READY, report.ready(),
        report.reason(), report.message(), now);
  }

  /**
   * Adds the check of spec.verifiers: status.declaredVerifiers and the VerifiersConfigured
   * condition (only with spec.verifiers set; without it neither appears).
   */
  static void withDeclaredVerifiers(MacpIssuerStatus status, MacpIssuerStatus previous,
      DeclaredVerifiersReport report, Instant now) {
    status.setDeclaredVerifiers(report.status());
    replaceCondition(status, previous, IssuerConditions.VERIFIERS_CONFIGURED, report.ready(),
        report.reason(), report.message(), now);
  }

  /** Sets one condition of a built status, keeping its transition time when unchanged. */
  private static void replaceCondition(MacpIssuerStatus status, MacpIssuerStatus previous,
      String type, String ready, String reason, String message, Instant now) {
    List<Condition> prev = previous == null || previous.getConditions() == null
        ? List.of() : previous.getConditions();
    Input in = new Input(status.getObservedGeneration(), previous, List.of(), KeysState.untouched(),
        null, null, null, null, null, now);
    List<Condition> conditions = new ArrayList<>(status.getConditions());
    conditions.removeIf(c -> type.equals(c.getType()));
    conditions.add(condition(prev, type, ready, reason, message, in));
    status.setConditions(conditions);
  }

  private static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
