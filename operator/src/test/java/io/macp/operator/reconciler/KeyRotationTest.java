package io.macp.operator.reconciler;

import static io.macp.operator.reconciler.IssuerTestCluster.NS;
import static io.macp.operator.reconciler.IssuerTestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.resources.IssuerNames;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyRotationTest extends RunningOperatorTest {
  @Test
  void aShortPeriodAdvancesTheKeySetWithoutTouchingThePodTemplate() {
    cluster.create("sched", IssuerTestCluster.fastSpec());
    await().atMost(TIMEOUT).until(() -> cluster.deployment("sched") != null);
    String template = Serialization.asYaml(cluster.deployment("sched").getSpec().getTemplate());

    Set<String> activeKids = new HashSet<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      KeySet set = cluster.keySet("sched");
      set.signerAt(Instant.now()).ifPresent(k -> activeKids.add(k.kid()));
      return activeKids.size() >= 3;
    });
    // The third signer has a pre-published successor again.
    await().atMost(TIMEOUT).until(() -> cluster.keySet("sched").keys().stream()
        .anyMatch(k -> k.activateAt().isAfter(Instant.now())));
    // Retired keys are pruned after the retention (2s): the set stays small.
    assertThat(cluster.keySet("sched").keys().size()).isLessThanOrEqualTo(
        2 + (int) Math.ceil(2.0 / 3.0));
    assertThat(Serialization.asYaml(cluster.deployment("sched").getSpec().getTemplate()))
        .isEqualTo(template);
    assertThat(cluster.events("sched", KeyEventsDiffer.KEY_RETIRED)).isNotEmpty();
    assertThat(cluster.events("sched", KeyEventsDiffer.KEY_REMOVED)).isNotEmpty();
    assertThat(cluster.registry.find(IssuerMetrics.ROTATIONS).tag("name", "sched").tag("trigger", "schedule")
        .tag("result", "success").counter().count()).isGreaterThanOrEqualTo(1);
    assertThat(cluster.registry.find(IssuerMetrics.JWKS_KEYS).tag("name", "sched").gauge().value())
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void aRotateNonceIsAppliedOnceEvenWhenReapplied() {
    cluster.create("rot", IssuerTestCluster.slowSpec());
    var first = cluster.awaitStatus("rot", s -> s.getActiveKid() != null);
    String initialKid = first.getActiveKid();
    String nextKid = first.getKeys().get(1).getKid();

    cluster.edit("rot", i -> i.getMetadata().setAnnotations(new HashMap<>(
        Map.of("macp.io/rotate", "2026-11-23-1"))));
    cluster.awaitStatus("rot", s -> "2026-11-23-1".equals(s.getHandledRotateNonce()));
    // The next key has been public for longer than the 1s lead time: it activates at once.
    await().atMost(TIMEOUT).until(() -> nextKid.equals(cluster.issuer("rot").getStatus().getActiveKid()));
    Set<String> kidsAfterFirst = kids(cluster.keySet("rot"));
    assertThat(kidsAfterFirst).contains(initialKid, nextKid).hasSize(3);
    assertThat(cluster.events("rot", KeyMaintenance.ROTATION_REQUESTED)).hasSize(1);
    assertThat(cluster.keySecret("rot").getMetadata().getAnnotations())
        .containsEntry(KeySecretStore.HANDLED_ROTATE, "2026-11-23-1");

    // Re-applying the same manifest (same nonce, other edits) rotates nothing.
    cluster.edit("rot", i -> i.getMetadata().getAnnotations().put("touched", "yes"));
    cluster.edit("rot", i -> i.getSpec().setAudience("reapplied"));
    cluster.awaitStatus("rot", s -> s.getObservedGeneration()
        .equals(cluster.issuer("rot").getMetadata().getGeneration()));
    sleep(1500);
    assertThat(kids(cluster.keySet("rot"))).isEqualTo(kidsAfterFirst);
    assertThat(cluster.issuer("rot").getStatus().getActiveKid()).isEqualTo(nextKid);
    assertThat(cluster.events("rot", KeyMaintenance.ROTATION_REQUESTED)).hasSize(1);

    // A new nonce rotates again.
    cluster.edit("rot", i -> i.getMetadata().getAnnotations().put("macp.io/rotate", "2026-11-23-2"));
    await().atMost(TIMEOUT).until(() -> {
      var s = cluster.issuer("rot").getStatus();
      return "2026-11-23-2".equals(s.getHandledRotateNonce()) && !nextKid.equals(s.getActiveKid());
    });
    assertThat(cluster.registry.find(IssuerMetrics.ROTATIONS).tag("trigger", "request")
        .tag("result", "success").counter().count()).isEqualTo(2);
  }

  @Test
  void revokesARetiredKeyAndThenTheActiveKey() {
    cluster.create("rev", IssuerTestCluster.slowSpec());
    var first = cluster.awaitStatus("rev", s -> s.getActiveKid() != null);
    String oldKid = first.getActiveKid();
    cluster.edit("rev", i -> i.getMetadata().setAnnotations(new HashMap<>(
        Map.of("macp.io/rotate", "r1"))));
    var afterRotate = cluster.awaitStatus("rev", s -> !oldKid.equals(s.getActiveKid())
        && phase(s.getKeys(), oldKid).equals("Retired"));
    String activeKid = afterRotate.getActiveKid();

    // Revoke the retired key: it leaves the JWKS at once.
    cluster.edit("rev", i -> i.getMetadata().getAnnotations().put("macp.io/revoke", oldKid));
    var revoked = cluster.awaitStatus("rev", s -> oldKid.equals(s.getHandledRevoke()));
    assertThat(phase(revoked.getKeys(), oldKid)).isEqualTo("Revoked");
    assertThat(revoked.getActiveKid()).isEqualTo(activeKid);
    assertThat(jwks("rev")).doesNotContain(oldKid).contains(activeKid);
    ManagedKey stored = cluster.keySet("rev").find(oldKid).orElseThrow();
    assertThat(stored.hasPrivateKey()).isFalse();
    assertThat(cluster.events("rev", KeyEventsDiffer.KEY_REVOKED)).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("verifiers drop it by").contains("restarting a verifier");
    });

    // Revoke the active key (with an unknown kid alongside): the pre-published next key takes over.
    String nextKid = revoked.getKeys().stream().filter(k -> k.getPhase().equals("Published"))
        .findFirst().orElseThrow().getKid();
    cluster.edit("rev", i -> i.getMetadata().getAnnotations()
        .put("macp.io/revoke", activeKid + ", no-such-kid"));
    var second = cluster.awaitStatus("rev", s -> (activeKid + ", no-such-kid").equals(s.getHandledRevoke()));
    assertThat(second.getActiveKid()).isEqualTo(nextKid);
    assertThat(phase(second.getKeys(), activeKid)).isEqualTo("Revoked");
    assertThat(second.getKeys()).anyMatch(k -> k.getPhase().equals("Published"));
    assertThat(jwks("rev")).doesNotContain(activeKid).contains(nextKid);
    assertThat(cluster.events("rev", KeyMaintenance.REVOKE_UNKNOWN_KID)).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("no-such-kid"));
    assertThat(cluster.registry.find(IssuerMetrics.ROTATIONS).tag("trigger", "revoke")
        .tag("result", "success").counter().count()).isEqualTo(2);
  }

  @Test
  void aNewOperatorTakingOverMidRotationKeepsEveryKey() {
    cluster.create("takeover", IssuerTestCluster.fastSpec());
    // Let the schedule turn at least once so retired keys exist.
    await().atMost(TIMEOUT).until(() -> cluster.events("takeover", KeyEventsDiffer.KEY_RETIRED).size() >= 1);
    cluster.stopOperator();
    KeySet before = cluster.keySet("takeover");
    Instant stoppedAt = Instant.now();

    cluster.startOperator();
    // Wait until the new operator has written at least once (the schedule moves every 3s).
    await().atMost(TIMEOUT).until(() -> !cluster.keySet("takeover").equals(before));
    KeySet after = cluster.keySet("takeover");
    for (ManagedKey k : before.keys()) {
      boolean expired = k.removeAt() != null && !k.removeAt().isAfter(Instant.now());
      if (!expired) {
        ManagedKey kept = after.find(k.kid()).orElseThrow(
            () -> new AssertionError("key " + k.kid() + " was lost by the new operator"));
        assertThat(kept.jwk()).isEqualTo(k.jwk());
        assertThat(kept.createdAt()).isEqualTo(k.createdAt());
        assertThat(kept.activateAt()).isEqualTo(k.activateAt());
      }
    }
    // Nothing was regenerated: every key the new operator added was created after it started.
    for (ManagedKey k : after.keys()) {
      if (before.find(k.kid()).isEmpty()) {
        assertThat(k.createdAt()).isAfterOrEqualTo(stoppedAt.truncatedTo(ChronoUnit.MILLIS));
      }
    }
  }

  private String jwks(String name) {
    return client.configMaps().inNamespace(NS).withName(name + "-jwks").get()
        .getData().get(IssuerNames.JWKS_KEY);
  }

  private static String phase(List<KeyStatus> keys, String kid) {
    return keys.stream().filter(k -> k.getKid().equals(kid)).map(KeyStatus::getPhase)
        .findFirst().orElse("absent");
  }

  private static Set<String> kids(KeySet set) {
    Set<String> out = new HashSet<>();
    set.keys().forEach(k -> out.add(k.kid()));
    return out;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
