package io.macp.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.macp.keyset.GateInput;
import io.macp.keyset.KeySet;
import io.macp.keyset.VerifierCoverage;
import io.macp.operator.model.v1alpha1.VerifiersStatus;
import io.macp.operator.policy.IssuerEndpoints;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import io.macp.operator.verifiers.DeclaredVerifierCheck;
import io.macp.operator.verifiers.DeclaredVerifierReader;
import io.macp.operator.verifiers.ObserverClient;
import io.macp.operator.verifiers.VerifierCoverageSource;
import io.macp.keyset.KeySetPlanner;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.resources.AllowedFromSetCondition;
import io.macp.operator.resources.HasMultipleReplicasCondition;
import io.macp.operator.resources.IssuerDeploymentDependentResource;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.resources.IssuerNetworkPolicyDependentResource;
import io.macp.operator.resources.IssuerOwnerReference;
import io.macp.operator.resources.OptimisticUpdate;
import io.macp.operator.resources.IssuerPodDisruptionBudgetDependentResource;
import io.macp.operator.resources.IssuerServiceAccountDependentResource;
import io.macp.operator.resources.IssuerServiceDependentResource;
import io.macp.operator.resources.KeySecretReadyCondition;
import io.macp.operator.resources.MintPolicyConfigMapDependentResource;
import io.macp.operator.resources.MintPolicyWantedCondition;
import io.macp.operator.resources.ServiceAccountModeCondition;
import io.macp.operator.resources.TokenReviewBindingBuilder;
import io.macp.operator.resources.TokenReviewBindingResource;
import io.macp.operator.resources.TokenReviewBindingResource.TokenReviewBindingException;
import io.macp.operator.scope.ManagedNamespaces;
import io.macp.operator.scope.OperatorPods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each MacpIssuer's keys ahead of time and its pods running. Thin on purpose: the spec is
 * mapped by {@link IssuerSpecValidator}, every key timeline decision is {@link KeySetPlanner}'s,
 * status is built by {@link IssuerStatusBuilder} and events by {@link KeyEventsDiffer}; this class
 * reads, calls them and writes.
 *
 * <p>The workflow of dependents (Service, Deployment, PodDisruptionBudget, and from spec.mint the
 * policy ConfigMap, NetworkPolicy and ServiceAccount) is invoked explicitly and only for a valid
 * spec whose mint Secrets are usable ({@link MintSecretCheck}), so neither an invalid spec nor a
 * missing Secret changes anything that already runs. The issuer's subject in the installed
 * TokenReview ClusterRoleBinding is kept by hand ({@link TokenReviewBindingResource}). An issuer
 * outside the {@link ManagedNamespaces} is left alone entirely. Generation-aware
 * filtering is off because the request annotations change metadata only.
 */
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "service", type = IssuerServiceDependentResource.class),
      @Dependent(
          name = "deployment",
          type = IssuerDeploymentDependentResource.class,
          reconcilePrecondition = KeySecretReadyCondition.class),
      @Dependent(
          name = "pdb",
          type = IssuerPodDisruptionBudgetDependentResource.class,
          reconcilePrecondition = HasMultipleReplicasCondition.class),
      @Dependent(
          name = "mint-policy",
          type = MintPolicyConfigMapDependentResource.class,
          reconcilePrecondition = MintPolicyWantedCondition.class,
          useEventSourceWithName = MacpIssuerReconciler.CONFIGMAP_EVENT_SOURCE),
      @Dependent(
          name = "network-policy",
          type = IssuerNetworkPolicyDependentResource.class,
          reconcilePrecondition = AllowedFromSetCondition.class),
      @Dependent(
          name = "issuer-service-account",
          type = IssuerServiceAccountDependentResource.class,
          reconcilePrecondition = ServiceAccountModeCondition.class)
    })
@ControllerConfiguration(name = MacpIssuerReconciler.NAME, generationAwareEventProcessing = false)
public class MacpIssuerReconciler implements Reconciler<MacpIssuer>, Cleaner<MacpIssuer> {
  public static final String NAME = "macpissuer";
  static final String INVALID_SPEC_EVENT = "InvalidSpec";
  static final String MINT_UNAUTHENTICATED_EVENT = "MintUnauthenticated";
  static final String MINT_SECRET_UNUSABLE_EVENT = "MintSecretUnusable";
  static final String LEGACY_BINDING_EVENT = "LegacyTokenReviewBinding";
  /** The label-selected ConfigMap informer, shared by the JWKS and the mint policy ConfigMaps. */
  static final String CONFIGMAP_EVENT_SOURCE = "jwks-configmap";
  /** A deadline is never further than this, so clock drift and missed events stay bounded. */
  static final Duration MAX_RESCHEDULE = Duration.ofHours(1);
  static final Duration MIN_RESCHEDULE = Duration.ofSeconds(1);
  static final Duration BLOCKED_RECHECK = Duration.ofSeconds(30);
  /**
   * spec.verifiers: the runtime workloads are re-read at least this often (as often as the kept
   * answer expires): a runtime a user just fixed or broke shows within a minute.
   */
  static final Duration DECLARED_RECHECK = DeclaredVerifierReader.CACHE_FOR;

  private static final Logger log = LoggerFactory.getLogger(MacpIssuerReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final KeySetPlanner planner;
  private final IssuerMetrics metrics;
  private final ManagedNamespaces managed;
  private final VerifierCoverageSource verifiers;
  private final OperatorPods operatorPods;
  /** spec.verifiers: what was last listed per issuer (a minute at most). */
  private final DeclaredVerifierReader declared;

  /** Managing every namespace. */
  public MacpIssuerReconciler(Clock clock, KeySetPlanner planner, IssuerMetrics metrics) {
    this(clock, planner, metrics, ManagedNamespaces.allNamespaces(), VerifierCoverageSource.NONE);
  }

  /**
   * @param managed the namespaces whose issuers this reconciler acts on; the operator also watches
   *     only those, this is the second line for an issuer seen anyway
   * @param verifiers where the activation gate's view of the verifiers comes from
   */
  public MacpIssuerReconciler(Clock clock, KeySetPlanner planner, IssuerMetrics metrics,
      ManagedNamespaces managed, VerifierCoverageSource verifiers) {
    this(clock, planner, metrics, managed, verifiers, OperatorPods.fromEnv(System.getenv()));
  }

  /**
   * @param operatorPods the operator's own pods, which the issuers' NetworkPolicies admit to the
   *     mint port while the activation gate reads GET /verifiers there
   */
  public MacpIssuerReconciler(Clock clock, KeySetPlanner planner, IssuerMetrics metrics,
      ManagedNamespaces managed, VerifierCoverageSource verifiers, OperatorPods operatorPods) {
    this.clock = clock;
    this.planner = planner;
    this.metrics = metrics;
    this.managed = managed;
    this.verifiers = verifiers;
    this.operatorPods = operatorPods;
    this.declared = new DeclaredVerifierReader(clock);
  }

  /** Label-selected informers only: the operator never caches Secrets or ConfigMaps it doesn't own. */
  @Override
  public List<EventSource<?, MacpIssuer>> prepareEventSources(EventSourceContext<MacpIssuer> context) {
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, MacpIssuer.class)
                .withName("key-secret")
                .withLabelSelector(IssuerNames.MANAGED_SELECTOR)
                // by label, not owner reference: a retained key Secret (the default) has none,
                // and its deletion or corruption must still reach the issuer at once
                .withSecondaryToPrimaryMapper(MacpIssuerReconciler::issuerOfLabels)
                .build(),
            context),
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, MacpIssuer.class)
                .withName(CONFIGMAP_EVENT_SOURCE)
                .withLabelSelector(IssuerNames.MANAGED_SELECTOR)
                .build(),
            context));
  }

  /** The MacpIssuer an object belongs to, from the labels the operator puts on everything. */
  static Set<ResourceID> issuerOfLabels(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String instance = labels == null ? null : labels.get(IssuerNames.INSTANCE_LABEL);
    if (instance == null || !IssuerNames.NAME.equals(labels.get(IssuerNames.NAME_LABEL))) {
      return Set.of();
    }
    return Set.of(new ResourceID(instance, object.getMetadata().getNamespace()));
  }

  @Override
  public UpdateControl<MacpIssuer> reconcile(MacpIssuer issuer, Context<MacpIssuer> context) {
    if (!managed.contains(issuer.getMetadata().getNamespace())) {
      // not even status: a namespace-scoped operator has no rights there, and must use none
      log.warn("ignoring MacpIssuer {}/{}: its namespace is not managed ({})",
          issuer.getMetadata().getNamespace(), issuer.getMetadata().getName(), managed.describe());
      return UpdateControl.noUpdate();
    }
    Instant now = clock.instant();
    IssuerSpecValidator.Result validation = IssuerSpecValidator.validate(issuer);
    IssuerEventRecorder events = new IssuerEventRecorder(context.getClient(), clock);
    MacpIssuerStatus previous = issuer.getStatus();

    if (!validation.valid()) {
      MacpIssuerStatus status = build(issuer, context, validation,
          KeysState.untouched(), null, now, null);
      if (!sameCondition(previous, status, IssuerConditions.INVALID_SPEC)) {
        events.record(issuer, KeyEvent.warning(INVALID_SPEC_EVENT,
            "spec rejected, nothing running was changed: "
                + String.join("; ", validation.problems())));
      }
      metrics.conditions(issuer.getMetadata().getNamespace(), issuer.getMetadata().getName(),
          status.getConditions());
      writeStatus(issuer, context, status);
      return UpdateControl.<MacpIssuer>noUpdate().rescheduleAfter(MAX_RESCHEDULE);
    }

    IssuerPolicy policy = validation.policy().orElseThrow();
    // parsed once: the dependents build from this, never from the spec's text
    context.managedWorkflowAndDependentResourceContext().put(IssuerPolicy.KEY, policy);
    context.managedWorkflowAndDependentResourceContext().put(OperatorPods.KEY, operatorPods);
    Optional<ObserverClient.Collected> collected = policy.activationGate().observes()
        ? verifiers.collect(issuer, policy.mint().tlsSecret()) : Optional.empty();
    KeyMaintenance.Outcome outcome;
    try {
      outcome = new KeyMaintenance(new KeySecretStore(context.getClient()), planner)
          .run(issuer, policy, now, gateInput(policy, previous, collected));
    } catch (RuntimeException e) {
      countFailure(issuer);
      throw e;
    }

    KeySet keys = outcome.keys().keySet();
    if (keys != null) {
      new JwksConfigMapStore(context.getClient()).apply(issuer, keys, now);
      for (KeyEvent e : KeyEventsDiffer.diff(
          previous == null ? null : previous.getKeys(), keys, policy.rotation(), now)) {
        events.record(issuer, e);
      }
    }
    outcome.events().forEach(e -> events.record(issuer, e));

    // Keys are kept ahead of time regardless; the pods are changed only when the mint's
    // Secrets can be mounted, so a missing Secret never takes a running issuer down.
    String ns = issuer.getMetadata().getNamespace();
    MintState mint = MintState.of(policy.mint(), MintSecretCheck.check(issuer, policy.mint(),
        name -> context.getClient().secrets().inNamespace(ns).withName(name).get()));
    mintEvent(previous, mint).ifPresent(e -> events.record(issuer, e));
    String binding = previous == null ? null : previous.getTokenReviewBinding();
    Optional<KeyEvent> legacy = legacyBindingEvent(issuer, binding);
    if (legacy.isPresent()) {
      events.record(issuer, legacy.get());
      binding = null; // said once: status stops naming it
    }
    if (!mint.blocksRollout()) {
      binding = reconcileTokenReviewBinding(issuer, policy, context);
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }

    MacpIssuerStatus status = build(issuer, context, validation, outcome.keys(), outcome, now, mint);
    status.setTokenReviewBinding(binding);
    if (policy.activationGate().observes() && keys != null) {
      VerifierGateReport report = VerifierGateReport.of(outcome.gate(), collected,
          policy.pod().replicas());
      IssuerStatusBuilder.withVerifiers(status, previous, report, now);
      if (report.event().isPresent() && !sameGateDecision(previous, report)) {
        events.record(issuer, report.event().get());
      }
    }
    if (policy.verifierSelector() != null) {
      checkDeclaredVerifiers(issuer, context, policy, previous, status, now, events);
    } else {
      declared.forget(issuer); // off: nothing is read, nothing shown
    }
    countRotations(issuer, previous, status, outcome);
    if (keys != null) {
      metrics.keys(ns, issuer.getMetadata().getName(), keys, policy.rotation(), now);
    }
    metrics.conditions(ns, issuer.getMetadata().getName(), status.getConditions());
    writeStatus(issuer, context, status);

    Duration delay = outcome.nextDeadline()
        .map(deadline -> Duration.between(now, deadline))
        .orElse(keys == null ? BLOCKED_RECHECK : MAX_RESCHEDULE);
    if (policy.verifierSelector() != null && delay.compareTo(DECLARED_RECHECK) > 0) {
      delay = DECLARED_RECHECK; // the runtime workloads are not watched
    }
    if (mint.blocksRollout() && delay.compareTo(BLOCKED_RECHECK) > 0) {
      // the referenced Secrets are not watched (the operator caches only its own Secrets)
      delay = BLOCKED_RECHECK;
    }
    return UpdateControl.<MacpIssuer>noUpdate().rescheduleAfter(bounded(delay));
  }

  @Override
  public ErrorStatusUpdateControl<MacpIssuer> updateErrorStatus(
      MacpIssuer issuer, Context<MacpIssuer> context, Exception e) {
    if (isShutdown(e)) {
      return ErrorStatusUpdateControl.noStatusUpdate(); // the operator is stopping, not failing
    }
    // Only the kind of failure is logged and shown: exception messages may quote request bodies.
    Optional<TokenReviewBindingException> binding = causeOf(e, TokenReviewBindingException.class);
    String what = e instanceof KubernetesClientException k
        ? "the API server answered " + k.getCode()
        : binding.isPresent() ? binding.get().getMessage() // ours: names no secret
        : e.getClass().getSimpleName();
    log.warn("reconcile of {}/{} failed: {}", issuer.getMetadata().getNamespace(),
        issuer.getMetadata().getName(), what);
    issuer.setStatus(IssuerStatusBuilder.failed(issuer.getStatus(),
        issuer.getMetadata().getGeneration(),
        "the last reconcile failed (" + what + "); it is retried", clock.instant()));
    metrics.conditions(issuer.getMetadata().getNamespace(), issuer.getMetadata().getName(),
        issuer.getStatus().getConditions());
    return ErrorStatusUpdateControl.patchStatus(issuer);
  }

  /** JOSDK wraps what a reconcile throws. */
  private static <T extends Throwable> Optional<T> causeOf(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  private static boolean isShutdown(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.RejectedExecutionException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public DeleteControl cleanup(MacpIssuer issuer, Context<MacpIssuer> context) {
    if (!managed.contains(issuer.getMetadata().getNamespace())) {
      return DeleteControl.noFinalizerRemoval(); // not ours: not even the finalizer is touched
    }
    KeySecretStore secrets = new KeySecretStore(context.getClient());
    // the spec alone, not validated: an invalid spec never decides whether keys are deleted
    if (IssuerSpecValidator.retainKeysOnDelete(issuer)) {
      releaseKeySecret(issuer, secrets);
    } else {
      // Owner references make the garbage collector do this on a real cluster; the mock server
      // has no garbage collector, so delete explicitly either way; only one this issuer owns.
      secrets.deleteIfOwnedBy(issuer);
    }
    new JwksConfigMapStore(context.getClient()).deleteIfOwnedBy(issuer);
    deleteTokenReviewBinding(issuer, context);
    metrics.remove(issuer.getMetadata().getNamespace(), issuer.getMetadata().getName());
    declared.forget(issuer);
    return DeleteControl.defaultDelete();
  }

  /**
   * The binding is cluster-scoped, so no garbage collector removes the issuer's subject with it.
   * Only the subject derived from the issuer is removed, whatever status says.
   */
  private static void deleteTokenReviewBinding(MacpIssuer issuer, Context<MacpIssuer> context) {
    new TokenReviewBindingResource(context.getClient()).revoke(issuer);
  }

  /**
   * Keeps the key Secret: drops our owner reference so garbage collection leaves it alone. Giving
   * up after conflicts throws, so the finalizer stays and the cleanup is retried: removing the
   * issuer with the reference in place would let the garbage collector delete the keys.
   */
  private static void releaseKeySecret(MacpIssuer issuer, KeySecretStore secrets) {
    OptimisticUpdate.retry(KeyMaintenance.MAX_ATTEMPTS, () -> {
      Secret secret = KeySecretStore.secretOf(secrets.read(issuer));
      if (secret == null || !IssuerOwnerReference.isOwnedBy(secret, issuer)) {
        return null;
      }
      secrets.replace(new SecretBuilder(secret)
          .editMetadata()
          .withOwnerReferences(IssuerOwnerReference.withOwner(secret.getMetadata().getOwnerReferences(), issuer, false))
          .endMetadata()
          .build());
      return null;
    }, last -> new IllegalStateException("key Secret " + IssuerNames.keySecret(issuer)
        + " kept changing while its owner reference was being removed; retrying", last));
  }

  private MacpIssuerStatus build(MacpIssuer issuer, Context<MacpIssuer> context,
      IssuerSpecValidator.Result validation, KeysState keys, KeyMaintenance.Outcome outcome,
      Instant now, MintState mint) {
    MacpIssuerStatus previous = issuer.getStatus();
    Availability availability = Availability.of(
        context.getSecondaryResource(Deployment.class).orElse(null));
    return IssuerStatusBuilder.build(new IssuerStatusBuilder.Input(
        issuer.getMetadata().getGeneration(),
        previous,
        validation.problems(),
        keys,
        availability,
        // from the validation, also of an invalid spec: status says where the endpoints are
        validation.jwksUrl(),
        validation.mintUrl(),
        outcome != null ? outcome.handledRotateNonce()
            : previous == null ? null : previous.getHandledRotateNonce(),
        outcome != null ? outcome.handledRevoke()
            : previous == null ? null : previous.getHandledRevoke(),
        now,
        mint));
  }

  /**
   * The issuer pods' TokenReview grant: their ServiceAccount is a subject of the installed binding
   * in ServiceAccount mode, and is removed from it in every other mode (on every pass, not only
   * when status says it was added: status is writable by whoever may patch macpissuers/status,
   * so a removal never depends on it).
   *
   * @return the binding's name while the issuer is a subject of it, else null
   */
  private static String reconcileTokenReviewBinding(
      MacpIssuer issuer, IssuerPolicy policy, Context<MacpIssuer> context) {
    TokenReviewBindingResource bindings = new TokenReviewBindingResource(context.getClient());
    if (TokenReviewBindingBuilder.wanted(policy)) {
      return bindings.grant(issuer);
    }
    bindings.revoke(issuer);
    return null;
  }

  /**
   * Versions up to 0.1.0 gave each issuer its own ClusterRoleBinding, named in status. The
   * operator may no longer delete bindings, so it says once (status then names the shared
   * binding or nothing) which one a person should delete. Only the name derived from the issuer
   * is ever mentioned, never a forged status value.
   */
  static Optional<KeyEvent> legacyBindingEvent(MacpIssuer issuer, String previousBinding) {
    String legacy = IssuerNames.legacyTokenReviewBinding(issuer);
    if (!legacy.equals(previousBinding)) {
      return Optional.empty();
    }
    return Optional.of(KeyEvent.warning(LEGACY_BINDING_EVENT, "the ClusterRoleBinding " + legacy
        + " of an earlier operator version is no longer used or removed by the operator; delete"
        + " it: kubectl delete clusterrolebinding " + legacy));
  }

  /** A Warning when the mint becomes unauthenticated or a Secret of it unusable; not on repeats. */
  static Optional<KeyEvent> mintEvent(MacpIssuerStatus previous, MintState mint) {
    Optional<Condition> before = previous == null || previous.getConditions() == null
        ? Optional.empty()
        : previous.getConditions().stream()
            .filter(c -> IssuerConditions.MINT_SECURED.equals(c.getType())).findFirst();
    String reason = before.map(Condition::getReason).orElse(null);
    if (MintState.REASON_AUTHENTICATION_NONE.equals(mint.reason())
        && !mint.reason().equals(reason)) {
      return Optional.of(KeyEvent.warning(MINT_UNAUTHENTICATED_EVENT, mint.message()));
    }
    if (MintState.REASON_SECRET_UNUSABLE.equals(mint.reason())
        && !(mint.reason().equals(reason)
            && mint.message().equals(before.map(Condition::getMessage).orElse(null)))) {
      return Optional.of(KeyEvent.warning(MINT_SECRET_UNUSABLE_EVENT, mint.message()));
    }
    return Optional.empty();
  }

  /** Writes status only when it changed, and caches it so the next reconcile sees it. */
  private static void writeStatus(MacpIssuer issuer, Context<MacpIssuer> context, MacpIssuerStatus status) {
    if (issuer.getStatus() != null
        && JSON.valueToTree(issuer.getStatus()).equals(JSON.valueToTree(status))) {
      return;
    }
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(issuer, context, r -> {
      r.setStatus(status);
      return r;
    });
  }

  private void countRotations(MacpIssuer issuer, MacpIssuerStatus previous,
      MacpIssuerStatus status, KeyMaintenance.Outcome outcome) {
    if (outcome.keys().problemReason() != null) {
      countFailure(issuer); // nothing was written: never a rotation
      return;
    }
    String ns = issuer.getMetadata().getNamespace();
    String name = issuer.getMetadata().getName();
    if (outcome.rotateApplied()) {
      metrics.rotation(ns, name, IssuerMetrics.Trigger.request, true);
    }
    if (outcome.revokeApplied()) {
      metrics.rotation(ns, name, IssuerMetrics.Trigger.revoke, true);
    }
    String before = previous == null ? null : previous.getActiveKid();
    if (!outcome.rotateApplied() && !outcome.revokeApplied() && before != null
        && status.getActiveKid() != null && !before.equals(status.getActiveKid())) {
      metrics.rotation(ns, name, IssuerMetrics.Trigger.schedule, true);
    }
  }

  /** A failed pass counts against what it was trying to do. */
  private void countFailure(MacpIssuer issuer) {
    MacpIssuerStatus st = issuer.getStatus() == null ? new MacpIssuerStatus() : issuer.getStatus();
    AnnotationRequests pending = AnnotationRequests.read(issuer.getMetadata().getAnnotations(),
        st.getHandledRotateNonce() == null ? List.of() : List.of(st.getHandledRotateNonce()),
        st.getHandledRevoke() == null ? List.of() : List.of(st.getHandledRevoke()));
    IssuerMetrics.Trigger trigger = pending.revokeValue() != null ? IssuerMetrics.Trigger.revoke
        : pending.rotateNonce() != null ? IssuerMetrics.Trigger.request
        : IssuerMetrics.Trigger.schedule;
    metrics.rotation(issuer.getMetadata().getNamespace(), issuer.getMetadata().getName(),
        trigger, false);
  }

  /**
   * The gate's inputs: the view collected now and whether it is complete (every running replica
   * read; nothing collected is incomplete: Hold then holds, up to maxHold) and the planned
   * activateAt remembered in status for the kid it was decided for, so maxHold counts from it.
   */
  private static GateInput gateInput(IssuerPolicy policy, MacpIssuerStatus previous,
      Optional<ObserverClient.Collected> collected) {
    VerifiersStatus before = previous == null ? null : previous.getVerifiers();
    Instant planned = null;
    String kid = null;
    if (before != null && before.getNextKid() != null && before.getPlannedActivateAt() != null) {
      kid = before.getNextKid();
      try {
        planned = Instant.parse(before.getPlannedActivateAt());
      } catch (java.time.format.DateTimeParseException e) {
        kid = null; // status is writable by others: an unreadable time is ignored, never trusted
      }
    }
    return new GateInput(policy.activationGate(),
        collected.map(ObserverClient.Collected::coverage).orElse(VerifierCoverage.NONE),
        collected.map(ObserverClient.Collected::complete).orElse(false), kid, planned);
  }

  /**
   * spec.verifiers: reads the runtime workloads (cached a minute, {@link DeclaredVerifierReader}),
   * checks them ({@link io.macp.operator.verifiers.DeclaredVerifierCheck}) and writes the
   * VerifiersConfigured condition; a Warning only when the verdict changes. A failed read makes
   * the condition Unknown and changes nothing else.
   */
  private void checkDeclaredVerifiers(MacpIssuer issuer, Context<MacpIssuer> context,
      IssuerPolicy policy, MacpIssuerStatus previous, MacpIssuerStatus status, Instant now,
      IssuerEventRecorder events) {
    DeclaredVerifierCheck.Expectations expected = new DeclaredVerifierCheck.Expectations(
        policy.rotation().verifierCacheTtl(), policy.rotation().verifierStaleGrace(),
        IssuerEndpoints.jwksUrl(issuer, policy), policy.issuerClaim(), policy.audience());
    DeclaredVerifiersReport report = DeclaredVerifiersReport.of(
        declared.read(context.getClient(), issuer, policy.verifierSelector()), expected,
        issuer.getMetadata().getNamespace(), policy.verifierSelector().describe());
    IssuerStatusBuilder.withDeclaredVerifiers(status, previous, report, now);
    report.event(sameCondition(previous, status, IssuerConditions.VERIFIERS_CONFIGURED))
        .ifPresent(e -> events.record(issuer, e));
  }

  /** Whether the previous status already reported this decision (one event per decision). */
  private static boolean sameGateDecision(MacpIssuerStatus previous, VerifierGateReport report) {
    VerifiersStatus before = previous == null ? null : previous.getVerifiers();
    VerifiersStatus now = report.status();
    return before != null && Objects.equals(before.getOutcome(), now.getOutcome())
        && Objects.equals(before.getNextKid(), now.getNextKid())
        && Objects.equals(before.getActivateAt(), now.getActivateAt())
        && Objects.equals(before.getHoldouts(), now.getHoldouts());
  }

  private static boolean sameCondition(
      MacpIssuerStatus previous, MacpIssuerStatus next, String type) {
    if (previous == null || previous.getConditions() == null) {
      return false;
    }
    Optional<Condition> a = previous.getConditions().stream()
        .filter(c -> type.equals(c.getType())).findFirst();
    Optional<Condition> b = next.getConditions().stream()
        .filter(c -> type.equals(c.getType())).findFirst();
    return a.isPresent() && b.isPresent()
        && Objects.equals(a.get().getStatus(), b.get().getStatus())
        && Objects.equals(a.get().getMessage(), b.get().getMessage());
  }

  static Duration bounded(Duration d) {
    if (d.compareTo(MIN_RESCHEDULE) < 0) {
      return MIN_RESCHEDULE;
    }
    return d.compareTo(MAX_RESCHEDULE) > 0 ? MAX_RESCHEDULE : d;
  }
}
