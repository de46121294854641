package io.macp.devcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.devcluster.EmbeddedCluster;
import io.macp.devcluster.InProcessIssuerLauncher;
import io.macp.devcluster.KubeletSimulator;
import io.macp.devcluster.OperatorLauncher;
import io.macp.devcluster.VolumeUpdate;
import io.macp.devcluster.e2e.SignerHistory.Activation;
import io.macp.devcluster.e2e.SignerHistory.Cause;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.ManagedKey;
import io.macp.keyset.RotationPolicy;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.reconciler.AnnotationRequests;
import io.macp.operator.reconciler.IssuerMetrics;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import io.macp.operator.resources.IssuerDeploymentBuilder;
import io.macp.operator.policy.IssuerEndpoints;
import io.macp.operator.resources.IssuerNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end proof of issue 4: the real operator on the embedded API server, the issuer
 * replicas of {@code examples/fast-rotation.yaml} reading their key set through the kubelet-like
 * {@code ..data} swap with independent propagation delays, runtime-like verifiers with staggered
 * caches, and clients minting all along, through five scheduled rotations, a rotate request, an
 * operator restart and two revokes: not one verification of a token whose key was not revoked
 * fails. The control runs the reference's way of rotating (one key, replaced at once) through the
 * same harness and must see failures. See docs/e2e.md.
 */
class ZeroFailedVerificationE2ETest {
  private static final String NS = "default";
  private static final Path EXAMPLE = ProjectFiles.examples().resolve("fast-rotation.yaml");
  private static final long SEED = 20261123L;
  private static final int VERIFIERS = 4;
  private static final int CLIENTS = 3;
  /** Each client pauses this long between mints: about 25 mints/s in total. */
  private static final Duration MINT_PAUSE = Duration.ofMillis(100);
  private static final int SCHEDULED_ROTATIONS = 5;
  /**
   * Added to the revoke deadline for threads that run late on a loaded machine: the simulator's
   * delayed file swap, the issuer's fixed-delay file poll (its period is the interval plus the time
   * one poll takes), and the verifier's lazy refresh, which happens on its first verification after
   * its cache expired. See docs/e2e.md.
   */
  private static final Duration SCHEDULING_ALLOWANCE = Duration.ofMillis(500);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock = Clock.systemUTC();

  // ---- the real thing ----

  @Test
  void scheduledRequestedAndEmergencyRotationsFailNoVerification() throws Exception {
    long started = System.nanoTime();
    MacpIssuer example = exampleIssuer();
    String name = example.getMetadata().getName();
    List<MeterRegistry> operatorRegistries = new CopyOnWriteArrayList<>();
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifests(List.of(EXAMPLE))
        .workingDir(ProjectFiles.root())
        .seed(SEED)
        .issuers(InProcessIssuerLauncher.create(clock))
        .operator(OperatorLauncher.macp(clock, () -> {
          MeterRegistry registry = new SimpleMeterRegistry();
          operatorRegistries.add(registry);
          return registry;
        }))
        .start()) {
      KubernetesClient client = cluster.client();
      KubeletSimulator.DeploymentView first = cluster.kubelet().awaitServing(NS, name, WAIT);
      MacpIssuer issuer = client.resources(MacpIssuer.class).inNamespace(NS).withName(name).get();
      IssuerPolicy policy = IssuerSpecValidator.validate(issuer).policy().orElseThrow();
      PodTemplateSpec templateAtStart = podTemplate(client, name);

      try (KeyTimeline timeline = new KeyTimeline(client, NS, name).start(Duration.ofMillis(200));
          TokenTraffic traffic = traffic(cluster.kubelet(), issuer, policy)) {
        traffic.primeStaggered();
        traffic.startMinting();
        Run run = new Run(cluster, issuer, policy.rotation(), timeline, traffic, operatorRegistries);

        run.awaitScheduledActivation();
        run.awaitScheduledActivation();
        String requested = run.requestRotation("e2e-rotate-1");
        run.restartOperatorMidPeriod();
        run.awaitScheduledActivation();
        run.revokeRetired(requested);
        // The spec edits below reach the pods through the key set, never the pod template: they
        // restart no pod, like key rotation itself.
        run.changeAlgorithmWithinDOfAnActivation();
        run.lowerMaxTtlBeforeARetirement();
        // With maxTtl 5s, R = 6s: the active key is revoked while its retireAt is more than R away.
        run.revokeActive();
        while (run.scheduled < SCHEDULED_ROTATIONS) {
          run.awaitScheduledActivation();
        }
        traffic.stopAndDrain();
        Instant end = clock.instant();
        timeline.poll();

        VerificationTally tally = VerificationTally.of(traffic.verifications(), run.revocations);
        // The lowered maxTtl reaches every replica live through the key set within D (plus the
        // operator's reconcile and the issuers' 1s poll): later tokens live at most 5s (exp has
        // whole seconds).
        Instant lowered = run.maxTtlEditedAt.plus(policy.rotation().propagationDelay())
            .plus(Duration.ofSeconds(3));
        List<MintedToken> longAfterDecrease = traffic.tokens().stream()
            .filter(t -> t.mintedAt().isAfter(lowered))
            .filter(t -> t.exp().isAfter(t.mintedAt().plusSeconds(6)))
            .toList();
        List<Activation> history = SignerHistory.of(
            timeline.everyKey().values(), end, policy.rotation().period(), run.requestedKids);
        long scheduled = SignerHistory.count(history, Cause.SCHEDULED);
        long requestedCount = SignerHistory.count(history, Cause.REQUESTED);
        long promoted = SignerHistory.count(history, Cause.REVOKE_PROMOTION);
        Set<String> tokenKids = traffic.tokens().stream().map(MintedToken::kid).collect(Collectors.toSet());
        KubeletSimulator.DeploymentView last = cluster.kubelet().deployment(NS, name).orElseThrow();

        System.out.println("e2e: rotations=" + (scheduled + requestedCount + promoted)
            + " (scheduled=" + scheduled + " requested=" + requestedCount
            + " revokePromotions=" + promoted + ") kids=" + tokenKids.size()
            + " mints=" + traffic.tokens().size()
            + " verifications=" + tally.verifications()
            + " failures=" + tally.failures()
            + " mintErrors=" + traffic.mintErrors().size()
            + " revokedAcceptedBefore=" + tally.revokedAcceptedBefore()
            + " revokedRefused=" + tally.revokedRefusedAfter()
            + " revokeDeadlinesMs=" + run.deadlinesMs
            + " lastVerifierRefusedMs=" + run.refusalLatenciesMs
            + " revokeActiveRetireAtMinusNowMs=" + run.revokeActiveRetireAtMinusNowMs
            + " algorithmChangeBeforeActivationMs=" + run.algorithmChangeBeforeActivationMs
            + " algorithmChangedKidSigned=" + run.keptKidSigned
            + " newAlgorithmKid=" + run.newAlgorithmKid
            + " maxTtlDecreaseBeforeRetirementMs=" + run.maxTtlDecreaseBeforeRetirementMs
            + " retainedAfterTtlDecreaseMs=" + run.retainedAfterTtlDecreaseMs
            + " tokensOver5sAfterDecrease=" + longAfterDecrease.size()
            + " operatorStarts=" + cluster.operatorStarts()
            + " podRestarts=" + last.restarts()
            + " durationSeconds=" + (System.nanoTime() - started) / 1_000_000_000L);
        System.out.println("e2e: signers " + history);

        assertThat(traffic.mintErrors()).as("mint errors").isEmpty();
        assertThat(tally.failures())
            .as("failed verifications of tokens whose key was not revoked, e.g. %s; by reason %s",
                tally.failureSamples(), tally.failureReasons())
            .isZero();
        assertThat(longAfterDecrease).as("tokens over the lowered maxTtl, minted after it reached"
            + " every replica").isEmpty();
        assertThat(tally.revokeViolations())
            .as("a revoked key's token refused before its revoke or accepted after the deadline")
            .isEmpty();
        assertThat(tally.revokedAcceptedBefore()).isPositive();
        assertThat(tally.revokedRefusedAfter()).isPositive();

        assertThat(history).extracting(Activation::cause).doesNotContain(Cause.UNEXPLAINED);
        assertThat(scheduled).isGreaterThanOrEqualTo(SCHEDULED_ROTATIONS);
        assertThat(requestedCount).isEqualTo(1);
        assertThat(promoted).isEqualTo(1);
        assertThat(tokenKids)
            .as("the kids seen in tokens are exactly the keys the operator's timeline made signers")
            .containsExactlyInAnyOrderElementsOf(history.stream().map(Activation::kid).toList())
            .hasSize((int) (1 + scheduled + requestedCount + promoted));
        RotationPolicy rotation = policy.rotation();
        for (Activation a : history) {
          Duration published = Duration.between(a.createdAt(), a.activateAt());
          switch (a.cause()) {
            case SCHEDULED, REQUESTED -> assertThat(published).as("lead time of %s", a)
                .isGreaterThanOrEqualTo(rotation.leadTime());
            case REVOKE_PROMOTION -> assertThat(published).as("time in every cache before %s", a)
                .isGreaterThanOrEqualTo(rotation.propagationDelay().plus(rotation.verifierCacheTtl()));
            default -> { }
          }
        }

        assertThat(cluster.operatorStarts()).isEqualTo(2);
        // Neither rotation nor the spec edits (algorithm, maxTtl) touch the pod template.
        assertThat(last.restarts()).as("issuer pods restarted").isZero();
        assertThat(last.templateHistory()).as("pod template hashes").hasSize(1)
            .containsExactlyElementsOf(first.templateHistory());
        assertThat(podTemplate(client, name)).isEqualTo(templateAtStart);
      }
    }
  }

  /** The steps of the run, each waiting on what the operator published (bounded waits only). */
  private final class Run {
    final EmbeddedCluster cluster;
    final MacpIssuer issuer;
    final RotationPolicy rotation;
    final KeyTimeline timeline;
    final TokenTraffic traffic;
    final List<MeterRegistry> operatorRegistries;
    final Set<String> requestedKids = new HashSet<>();
    final List<Revocation> revocations = new ArrayList<>();
    final List<Long> deadlinesMs = new ArrayList<>();
    final List<Long> refusalLatenciesMs = new ArrayList<>();
    int scheduled;
    long revokeActiveRetireAtMinusNowMs = -1;
    long algorithmChangeBeforeActivationMs = -1;
    String keptKidSigned;
    String newAlgorithmKid;
    long maxTtlDecreaseBeforeRetirementMs = -1;
    long retainedAfterTtlDecreaseMs = -1;
    Instant maxTtlEditedAt;

    Run(EmbeddedCluster cluster, MacpIssuer issuer, RotationPolicy rotation, KeyTimeline timeline,
        TokenTraffic traffic, List<MeterRegistry> operatorRegistries) {
      this.cluster = cluster;
      this.operatorRegistries = operatorRegistries;
      this.issuer = issuer;
      this.rotation = rotation;
      this.timeline = timeline;
      this.traffic = traffic;
    }

    KeyStatus awaitPending() {
      return awaitPresent("a pre-published next key", () -> timeline.pendingAfter(clock.instant()));
    }

    /** Waits for the next key to activate on schedule and to sign on every replica. */
    void awaitScheduledActivation() throws InterruptedException {
      KeyStatus next = awaitPending();
      awaitSigning(next);
      scheduled++;
    }

    void awaitSigning(KeyStatus key) throws InterruptedException {
      sleepUntil(Instant.parse(key.getActivateAt()));
      int replicas = issuer.getSpec().getReplicas();
      await("tokens signed by " + key.getKid() + " from every replica").atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> traffic.replicasSigningWith(key.getKid()).size() == replicas);
    }

    /**
     * Asks for a rotation at the worst moment for verifiers: when the next key may sign at once
     * under the model, L after it was published, minus the D the request waits anyway.
     */
    String requestRotation(String nonce) throws Exception {
      KeyStatus next = awaitPending();
      Instant createdAt = Instant.parse(next.getCreatedAt());
      Instant planned = Instant.parse(next.getActivateAt());
      sleepUntil(createdAt.plus(rotation.leadTime()).minus(rotation.propagationDelay()));
      annotate(AnnotationRequests.ROTATE, nonce);
      awaitPresent("rotate request handled", () -> timeline.latest()
          .filter(s -> nonce.equals(s.getHandledRotateNonce())));
      KeyStatus moved = awaitPresent("the next key moved earlier", () -> timeline.key(next.getKid())
          .filter(k -> Instant.parse(k.getActivateAt()).isBefore(planned)));
      requestedKids.add(moved.getKid());
      awaitSigning(moved);
      return moved.getKid();
    }

    /** Stops the operator a few seconds before the middle of a period and starts a new one after. */
    void restartOperatorMidPeriod() throws Exception {
      KeyStatus next = awaitPending();
      KeyStatus current = timeline.signerAt(clock.instant()).orElseThrow();
      Instant from = Instant.parse(current.getActivateAt());
      Instant to = Instant.parse(next.getActivateAt());
      Instant middle = from.plus(Duration.between(from, to).dividedBy(2));
      Duration outage = Duration.between(from, to).dividedBy(4);
      sleepUntil(middle.minus(outage.dividedBy(2)));
      cluster.stopOperator();
      assertThat(cluster.operatorRunning()).isFalse();
      KeySet keysBefore = storedKeySet();
      sleepUntil(middle.plus(outage.dividedBy(2)));
      cluster.startOperator();
      // The new instance has reconciled once it reports the next rotation. It plans from the
      // stored key set alone: the same next key at the same instant, no key regenerated or moved;
      // it only prunes keys whose removeAt passed while no operator ran.
      MeterRegistry newInstance = operatorRegistries.get(operatorRegistries.size() - 1);
      double nextRotation = Instant.parse(next.getActivateAt()).toEpochMilli() / 1000d;
      await("the new operator instance reports the next rotation").atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Optional.ofNullable(newInstance.find(IssuerMetrics.NEXT_ROTATION)
                  .tags("namespace", NS, "name", issuer.getMetadata().getName()).gauge())
              .map(g -> g.value() == nextRotation).orElse(false));
      Instant reconciled = clock.instant();
      KeySet keysAfter = storedKeySet();
      assertThat(keysBefore.keys()).containsAll(keysAfter.keys());
      assertThat(keysBefore.keys()).filteredOn(k -> !keysAfter.keys().contains(k))
          .allSatisfy(pruned -> assertThat(pruned.removeAt()).isBeforeOrEqualTo(reconciled));
      timeline.poll();
      assertThat(timeline.pendingAfter(clock.instant()))
          .hasValueSatisfying(k -> {
            assertThat(k.getKid()).isEqualTo(next.getKid());
            assertThat(k.getActivateAt()).isEqualTo(next.getActivateAt());
          });
    }

    KeySet storedKeySet() throws Exception {
      Secret secret = cluster.client().secrets().inNamespace(NS)
          .withName(IssuerNames.keySecret(issuer)).get();
      return KeySetJson.parse(Base64.getDecoder().decode(secret.getData().get(IssuerNames.KEYSET_KEY)));
    }

    /** Revokes the key retired at the last activation, well before its natural removeAt. */
    void revokeRetired(String kid) throws Exception {
      KeyStatus retired = timeline.key(kid).orElseThrow();
      assertThat(Instant.parse(retired.getRetireAt())).isBeforeOrEqualTo(clock.instant());
      Instant removeAt = Instant.parse(retired.getRemoveAt());
      Revocation r = revoke(kid);
      assertThat(r.refusedFrom())
          .as("the refusal must come from the revoke, before the key's natural removal")
          .isBefore(removeAt);
    }

    /**
     * Revokes the active key once the next key has been in every cache for a while (the
     * precondition of a seamless promotion, see docs/rotation.md), and checks the promotion.
     */
    void revokeActive() throws Exception {
      KeyStatus next = awaitPending();
      // L after the next key was created it is in every cache, and (after the maxTtl decrease)
      // the active key's retireAt is still more than R away: its tombstone keeps that retireAt and
      // the stored document stays valid.
      sleepUntil(Instant.parse(next.getCreatedAt()).plus(rotation.leadTime()));
      KeyStatus activeKey = timeline.signerAt(clock.instant()).orElseThrow();
      String active = activeKey.getKid();
      Revocation r = revoke(active);
      KeyStatus tombstone = timeline.key(active).orElseThrow();
      revokeActiveRetireAtMinusNowMs = Duration.between(Instant.parse(tombstone.getRevokedAt()),
          Instant.parse(activeKey.getRetireAt())).toMillis();
      assertThat(revokeActiveRetireAtMinusNowMs).as("retireAt - revokedAt > R")
          .isGreaterThan(currentRetention().toMillis());
      assertThat(storedKeySet().find(active)).as("the stored document is readable and keeps %s",
          active).hasValueSatisfying(k -> assertThat(k.isRevoked()).isTrue());
      assertThat(timeline.latest().orElseThrow().getConditions())
          .noneMatch(c -> "KeysReady".equals(c.getType()) && !"True".equals(c.getStatus()));
      KeyStatus promoted = timeline.key(next.getKid()).orElseThrow();
      assertThat(promoted.getActivateAt())
          .as("the next key is promoted at the revoke")
          .isEqualTo(timeline.key(active).orElseThrow().getRevokedAt());
      awaitSigning(promoted);
      assertThat(r.kid()).isEqualTo(active);
    }

    /**
     * Changes spec.signing.algorithm D/2 before the pending key activates: replicas that have not
     * loaded the next Secret activate it by the clock, so it must stay (docs/rotation.md, "Spec
     * changes" rule 3). It activates and signs; a key of the new kind follows one period later.
     */
    void changeAlgorithmWithinDOfAnActivation() throws Exception {
      KeyStatus pending = awaitPending();
      Instant activateAt = Instant.parse(pending.getActivateAt());
      sleepUntil(activateAt.minus(rotation.propagationDelay().dividedBy(2)));
      Instant editedAt = clock.instant();
      patchSpec(Map.of("signing", Map.of("algorithm", "ES256")));
      algorithmChangeBeforeActivationMs = Duration.between(editedAt, activateAt).toMillis();
      assertThat(algorithmChangeBeforeActivationMs).as("edit within D of the activation")
          .isPositive().isLessThan(rotation.propagationDelay().toMillis());
      awaitSigning(pending);
      scheduled++;
      assertThat(timeline.key(pending.getKid()).orElseThrow().getActivateAt())
          .as("the pending key of the old algorithm was neither withdrawn nor moved")
          .isEqualTo(pending.getActivateAt());
      keptKidSigned = pending.getKid();
      KeyStatus next = awaitPending();
      assertThat(next.getAlgorithm()).isEqualTo("ES256");
      awaitSigning(next);
      scheduled++;
      newAlgorithmKid = next.getKid();
    }

    /**
     * Lowers tokens.maxTtl from 20s to 5s 2s before the active key retires, while its 20s tokens
     * live: it stays published until the last of them expires (+ K), and replicas that have not
     * yet loaded the new key set keep minting 20s tokens with keys that are kept as long (rule 2).
     */
    void lowerMaxTtlBeforeARetirement() throws Exception {
      KeyStatus pending = awaitPending();
      String active = timeline.signerAt(clock.instant()).orElseThrow().getKid();
      Instant retireAt = Instant.parse(pending.getActivateAt());
      sleepUntil(retireAt.minusSeconds(2));
      Instant editedAt = clock.instant();
      patchSpec(Map.of("tokens", Map.of("defaultTtl", "5s", "maxTtl", "5s")));
      maxTtlEditedAt = editedAt;
      maxTtlDecreaseBeforeRetirementMs = Duration.between(editedAt, retireAt).toMillis();
      awaitSigning(pending);
      scheduled++;
      KeyStatus retired = awaitPresent("retirement of " + active, () -> timeline.key(active)
          .filter(k -> k.getRemoveAt() != null && k.getRetireAt() != null));
      retainedAfterTtlDecreaseMs = Duration.between(Instant.parse(retired.getRetireAt()),
          Instant.parse(retired.getRemoveAt())).toMillis();
      assertThat(retainedAfterTtlDecreaseMs).as("retention of the key retired after the decrease")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(20).plus(rotation.clockSkew()).toMillis());
    }

    /** R under the spec in force now (maxTtl may have been lowered by the run). */
    Duration currentRetention() {
      MacpIssuer now = cluster.client().resources(MacpIssuer.class).inNamespace(NS)
          .withName(issuer.getMetadata().getName()).get();
      return IssuerSpecValidator.validate(now).policy().orElseThrow().rotation().retention();
    }

    /** A JSON merge patch of spec fields, as kubectl patch --type merge sends it. */
    void patchSpec(Map<String, Object> spec) throws Exception {
      String patch = JSON.writeValueAsString(Map.of("spec", spec));
      cluster.client().resources(MacpIssuer.class).inNamespace(NS)
          .withName(issuer.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /**
     * Every verifier accepts the key's latest tokens, the revoke is requested, and from D + C after
     * the revoking Secret reached the kubelet (plus the scheduling allowance) every verifier refuses
     * them; until then the verifiers are watched to measure when each one drops the key.
     */
    Revocation revoke(String kid) throws Exception {
      // No Secret sync may be pending: a pending one would carry the revoke along unrecorded. The
      // last write before the revoke is the creation of the next key.
      awaitPending();
      Instant quiet = timeline.everyKey().values().stream()
          .map(k -> Instant.parse(k.getCreatedAt()))
          .max(Instant::compareTo).orElseThrow()
          .plus(rotation.propagationDelay()).plusMillis(500);
      sleepUntil(quiet);
      List<MintedToken> witnesses = traffic.latestSignedBy(kid, 2);
      assertThat(witnesses).as("tokens signed by %s", kid).isNotEmpty();
      for (MintedToken w : witnesses) {
        assertThat(traffic.probe(w)).as("before the revoke, %s", w)
            .allSatisfy(v -> assertThat(v.failure()).isNull());
      }
      Instant requestedAt = clock.instant();
      annotate(AnnotationRequests.REVOKE, kid);
      KeyStatus revoked = awaitPresent("revoke of " + kid + " handled",
          () -> timeline.key(kid).filter(k -> k.getRevokedAt() != null));
      Instant revokedAt = Instant.parse(revoked.getRevokedAt());

      sleepUntil(revokedAt.plus(rotation.propagationDelay()));
      String secret = "Secret/" + IssuerNames.keySecret(issuer);
      Instant secretSeen = cluster.kubelet().volumeUpdates().stream()
          .filter(u -> u.source().equals(secret) && !u.observedAt().isBefore(revokedAt))
          .map(VolumeUpdate::observedAt)
          .min(Instant::compareTo)
          .orElseThrow(() -> new AssertionError("no key Secret update reached the kubelet after the revoke"));
      Instant refusedFrom = secretSeen.plus(rotation.propagationDelay())
          .plus(rotation.verifierCacheTtl()).plus(SCHEDULING_ALLOWANCE);

      MintedToken watched = witnesses.get(0);
      Map<String, Instant> firstRefusal = new HashMap<>();
      while (clock.instant().isBefore(refusedFrom)) {
        for (Verification v : traffic.probe(watched)) {
          if (!v.accepted()) {
            firstRefusal.putIfAbsent(v.verifier(), v.at());
          }
        }
        Thread.sleep(100);
      }
      sleepUntil(refusedFrom);
      for (MintedToken w : witnesses) {
        assertThat(traffic.probe(w)).as("%s after the revoke deadline", w)
            .allSatisfy(v -> assertThat(v.failure()).startsWith("no key in the cached JWKS"));
      }
      deadlinesMs.add(Duration.between(revokedAt, refusedFrom).toMillis());
      refusalLatenciesMs.add(firstRefusal.size() < traffic.verifiers().size()
          ? -1 : Duration.between(revokedAt, firstRefusal.values().stream().max(Instant::compareTo)
              .orElseThrow()).toMillis());
      Revocation r = new Revocation(kid, requestedAt, refusedFrom);
      revocations.add(r);
      return r;
    }

    void annotate(String annotation, String value) throws Exception {
      String patch = JSON.writeValueAsString(
          Map.of("metadata", Map.of("annotations", Map.of(annotation, value))));
      cluster.client().resources(MacpIssuer.class).inNamespace(NS)
          .withName(issuer.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
  }

  // ---- the control: the reference's way of rotating ----

  /** A new single key every this long: longer than C, so each swap is its own event. */
  private static final Duration CONTROL_SWAP_EVERY = Duration.ofSeconds(6);
  private static final int CONTROL_SWAPS = 3;

  /**
   * The reference service's rotation through the same harness: every replica reads a key set that
   * holds exactly one key, active from its creation, and each rotation replaces it at once through
   * the same Secret swap and the same per-replica delays. Replicas sign with the new key before
   * verifiers have it, and verifiers that refreshed drop the old key while its tokens live: the
   * harness must see failures, or it could not see them in the real run either.
   */
  @Test
  void controlOneKeyReplacedAtOnceFailsVerifications() throws Exception {
    long started = System.nanoTime();
    MacpIssuer issuer = exampleIssuer();
    IssuerPolicy policy = IssuerSpecValidator.validate(issuer).policy().orElseThrow();
    String name = issuer.getMetadata().getName();
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .workingDir(ProjectFiles.root())
        .seed(SEED)
        .issuers(InProcessIssuerLauncher.create(clock))
        .startOperator(false)
        .start()) {
      KubernetesClient client = cluster.client();
      // The operator's own Deployment for the example: same replicas, env and mounts. The
      // MacpIssuer is there too (nothing reconciles it): the pod template carries no rotation
      // settings, so the simulated kubelet reads the declared propagation delay from it.
      client.resource(issuer).create();
      client.resource(singleKeySecret(issuer, policy)).create();
      client.resource(IssuerDeploymentBuilder.build(issuer)).create();
      KubeletSimulator.DeploymentView view = cluster.kubelet().awaitServing(NS, name, WAIT);
      assertThat(view.declaredPropagationDelay()).isEqualTo(policy.rotation().propagationDelay());

      try (TokenTraffic traffic = traffic(cluster.kubelet(), issuer, policy)) {
        traffic.primeStaggered();
        traffic.startMinting();
        for (int i = 0; i < CONTROL_SWAPS; i++) {
          Thread.sleep(CONTROL_SWAP_EVERY.toMillis());
          client.secrets().inNamespace(NS).resource(singleKeySecret(issuer, policy)).update();
        }
        Thread.sleep(CONTROL_SWAP_EVERY.toMillis());
        traffic.stopAndDrain();

        VerificationTally tally = VerificationTally.of(traffic.verifications(), List.of());
        Set<String> kids = traffic.tokens().stream().map(MintedToken::kid).collect(Collectors.toCollection(TreeSet::new));
        System.out.println("e2e-control: rotations=" + CONTROL_SWAPS + " kids=" + kids.size()
            + " mints=" + traffic.tokens().size()
            + " verifications=" + tally.verifications()
            + " failures=" + tally.failures()
            + " mintErrors=" + traffic.mintErrors().size()
            + " byReason=" + tally.failureReasons()
            + " podRestarts=" + cluster.kubelet().restarts(NS, name)
            + " durationSeconds=" + (System.nanoTime() - started) / 1_000_000_000L);

        assertThat(traffic.mintErrors()).isEmpty();
        assertThat(kids).hasSize(CONTROL_SWAPS + 1);
        assertThat(cluster.kubelet().restarts(NS, name)).isZero();
        assertThat(tally.failures())
            .as("the reference's way of rotating must fail verifications in this harness")
            .isPositive();
      }
    }
  }

  /**
   * The reference's key set: one key, signing from the moment it exists, nothing else but the
   * token TTLs and JWKS max-age the operator writes with every key set (the pods have no such env).
   */
  private Secret singleKeySecret(MacpIssuer issuer, IssuerPolicy policy) {
    Instant now = clock.instant();
    ManagedKey only =
        ManagedKey.created(KeyGenerator.secure().generate(policy.keySpec()), now, now);
    String json = KeySetJson.write(new KeySet(List.of(only), policy.issuerSettings()));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(IssuerNames.keySecret(issuer))
        .withNamespace(NS)
        .withLabels(IssuerNames.labels(issuer))
        .endMetadata()
        .addToData(IssuerNames.KEYSET_KEY,
            Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  // ---- shared ----

  private TokenTraffic traffic(KubeletSimulator kubelet, MacpIssuer issuer, IssuerPolicy policy) {
    String name = IssuerNames.deployment(issuer);
    List<Supplier<URI>> replicas = IntStream.range(0, issuer.getSpec().getReplicas())
        .<Supplier<URI>>mapToObj(i -> () -> kubelet.replicas(NS, name).get(i).baseUri())
        .toList();
    return new TokenTraffic(replicas, new TokenTraffic.Settings(
        VERIFIERS, CLIENTS, MINT_PAUSE,
        policy.rotation().verifierCacheTtl(), policy.maxTokenTtl(),
        IssuerEndpoints.issuerClaim(issuer), issuer.getSpec().getAudience()), clock);
  }

  private static MacpIssuer exampleIssuer() throws Exception {
    MacpIssuer issuer = new KubernetesSerialization()
        .unmarshal(Files.readString(EXAMPLE), MacpIssuer.class);
    issuer.getMetadata().setNamespace(NS);
    return issuer;
  }

  private static PodTemplateSpec podTemplate(KubernetesClient client, String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get().getSpec().getTemplate();
  }

  private void sleepUntil(Instant t) throws InterruptedException {
    long millis = Duration.between(clock.instant(), t).toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  private static <T> T awaitPresent(String what, Supplier<Optional<T>> probe) {
    return await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100))
        .until(probe::get, Optional::isPresent).orElseThrow();
  }
}
