package io.macp.operator.reconciler;

import static io.macp.operator.reconciler.IssuerTestCluster.NS;
import static io.macp.operator.reconciler.IssuerTestCluster.TIMEOUT;
import static io.macp.operator.reconciler.IssuerTestCluster.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.resources.IssuerNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySecretRecoveryTest extends RunningOperatorTest {
  @Test
  void aDeletedKeySecretIsRecreatedWithNewKeysAndAWarning() {
    cluster.create("lost", IssuerTestCluster.slowSpec());
    var status = cluster.awaitStatus("lost", s -> s.getActiveKid() != null);
    Set<String> oldKids = new HashSet<>();
    status.getKeys().forEach(k -> oldKids.add(k.getKid()));

    client.secrets().inNamespace(NS).withName("lost-keys").delete();

    var recreated = cluster.awaitStatus("lost", s -> s.getActiveKid() != null
        && !oldKids.contains(s.getActiveKid()));
    assertThat(recreated.getKeys()).noneMatch(k -> oldKids.contains(k.getKid()));
    assertThat(cluster.keySet("lost").keys()).noneMatch(k -> oldKids.contains(k.kid()));
    assertThat(cluster.events("lost", KeyMaintenance.KEY_SECRET_LOST)).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("no longer verify").contains(status.getActiveKid());
    });
  }

  @Test
  void aCorruptKeySecretIsReportedAndNeverOverwritten() throws Exception {
    cluster.create("corrupt", IssuerTestCluster.fastSpec());
    cluster.awaitStatus("corrupt", s -> s.getActiveKid() != null);

    Secret current = cluster.keySecret("corrupt");
    client.secrets().inNamespace(NS).resource(new SecretBuilder(current)
        .withData(Map.of(IssuerNames.KEYSET_KEY, Base64.getEncoder()
            .encodeToString("{\"version\":1,\"keys\":[{\"kid\":\"x\"}]}".getBytes(StandardCharsets.UTF_8))))
        .build()).update();
    Secret corrupted = cluster.keySecret("corrupt");

    var status = cluster.awaitStatus("corrupt", s -> IssuerTestCluster
        .conditionOf(s, IssuerConditions.KEYS_READY)
        .filter(c -> "KeySetCorrupt".equals(c.getReason())).isPresent());
    assertThat(isTrue(status, IssuerConditions.KEYS_READY)).isFalse();
    assertThat(isTrue(status, IssuerConditions.ROTATION_BLOCKED)).isTrue();
    assertThat(isTrue(status, IssuerConditions.READY)).isFalse();
    assertThat(IssuerTestCluster.conditionOf(status, IssuerConditions.KEYS_READY).orElseThrow()
        .getMessage()).contains("keys[0] has no 'jwk' object").contains("left untouched");
    assertThat(cluster.events("corrupt", KeyMaintenance.KEY_SET_CORRUPT)).singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));

    // The 3s schedule would have rewritten a good Secret by now; this one stays as it is.
    Thread.sleep(3500);
    Secret later = cluster.keySecret("corrupt");
    assertThat(later.getMetadata().getResourceVersion())
        .isEqualTo(corrupted.getMetadata().getResourceVersion());
    assertThat(later.getData()).isEqualTo(corrupted.getData());
    assertThat(cluster.events("corrupt", KeyMaintenance.KEY_SET_CORRUPT)).hasSize(1);

    // A data key under the wrong name is just as unusable.
    client.secrets().inNamespace(NS).resource(new SecretBuilder(later)
        .withData(Map.of("keys.json", later.getData().get(IssuerNames.KEYSET_KEY))).build()).update();
    cluster.awaitStatus("corrupt", s -> IssuerTestCluster.conditionOf(s, IssuerConditions.KEYS_READY)
        .filter(c -> c.getMessage().contains("no data key keyset.json")).isPresent());

    // Deleting it is the way out: a new key set is created.
    client.secrets().inNamespace(NS).withName("corrupt-keys").delete();
    cluster.awaitStatus("corrupt", s -> isTrue(s, IssuerConditions.KEYS_READY));
    assertThat(cluster.keySet("corrupt").keys()).isNotEmpty();
  }

  /** Issue input 5: a MacpIssuer without spec crashed key maintenance (NPE creating the Secret). */
  @Test
  void anIssuerWithoutSpecGetsEveryDefaultAndKeys() {
    cluster.create("nospec", null);
    var status = cluster.awaitStatus("nospec", s -> s.getActiveKid() != null);
    assertThat(cluster.keySet("nospec").signerAt(java.time.Instant.now()).orElseThrow().kid())
        .isEqualTo(status.getActiveKid());
    // Default signing algorithm RS256, default period 24h: one active and one next key.
    assertThat(cluster.keySet("nospec").keys()).hasSize(2)
        .allSatisfy(k -> assertThat(k.algorithm()).isEqualTo(io.macp.keyset.SigningAlgorithm.RS256));
  }

  /**
   * A key set the planner refuses to write (here one stored before the key bound, too large to
   * plan on from) is reported as a failure, never as a rotation: nothing is written and status
   * shows what is stored.
   */
  @Test
  void aPlanTheReaderWouldRefuseIsReportedAndNothingIsWritten() throws Exception {
    cluster.create("huge", IssuerTestCluster.slowSpec());
    cluster.awaitStatus("huge", s -> s.getActiveKid() != null);
    Secret current = cluster.keySecret("huge");
    io.macp.keyset.KeySet stored = cluster.keySet("huge");
    com.nimbusds.jose.jwk.RSAKey material = (com.nimbusds.jose.jwk.RSAKey)
        io.macp.keyset.KeyGenerator.secure().generate(
            new io.macp.keyset.KeySpec(io.macp.keyset.SigningAlgorithm.RS256, 4096));
    java.time.Instant now = java.time.Instant.now();
    java.util.List<io.macp.keyset.ManagedKey> keys = new java.util.ArrayList<>(stored.keys());
    for (int i = 0; i < 200; i++) {
      java.time.Instant at = now.minusSeconds(3600 - i);
      keys.add(new io.macp.keyset.ManagedKey(
          new com.nimbusds.jose.jwk.RSAKey.Builder(material).keyID("old-" + i).build(),
          at, at, at.plusSeconds(1), now.plusSeconds(i == 0 ? -1 : 3600), null));
    }
    // old-0 is past its removeAt, so the next plan changes the set (prunes it) and must write.
    String oversized = io.macp.keyset.KeySetJson.write(new io.macp.keyset.KeySet(keys));
    assertThat(oversized.length()).isGreaterThan(io.macp.keyset.KeySetJson.MAX_DOCUMENT_BYTES);
    client.secrets().inNamespace(NS).resource(new SecretBuilder(current)
        .withData(Map.of(IssuerNames.KEYSET_KEY, Base64.getEncoder()
            .encodeToString(oversized.getBytes(StandardCharsets.UTF_8))))
        .build()).update();
    Secret written = cluster.keySecret("huge");

    var status = cluster.awaitStatus("huge", s -> IssuerTestCluster
        .conditionOf(s, IssuerConditions.KEYS_READY)
        .filter(c -> KeyMaintenance.KEY_SET_PLAN_REFUSED.equals(c.getReason())).isPresent());
    assertThat(isTrue(status, IssuerConditions.ROTATION_BLOCKED)).isTrue();
    assertThat(IssuerTestCluster.conditionOf(status, IssuerConditions.KEYS_READY).orElseThrow()
        .getMessage()).contains("over the limit").contains("not changed");
    // Status shows what is stored (the 200 old keys among them), not a planned timeline.
    assertThat(status.getKeys()).hasSize(keys.size());
    assertThat(cluster.events("huge", KeyMaintenance.KEY_SET_PLAN_REFUSED)).singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    Thread.sleep(2000); // further reconciles write nothing either
    assertThat(cluster.keySecret("huge").getMetadata().getResourceVersion())
        .isEqualTo(written.getMetadata().getResourceVersion());
  }

  /**
   * Regression (issue 12): retainKeysOnDelete defaulted to false, so a GitOps prune or a rename
   * deleted the keys every outstanding token depended on. Now the default spec keeps them and only
   * an explicit false deletes them.
   */
  @Test
  void deletingAnIssuerKeepsItsKeysByDefaultAndDeletesThemOnlyWhenTheSpecSaysSo() {
    MacpIssuerSpec retained = IssuerTestCluster.slowSpec(); // the default: retainKeysOnDelete true
    MacpIssuerSpec dropped = IssuerTestCluster.slowSpec();
    dropped.setRetainKeysOnDelete(false);
    cluster.create("keep", retained);
    cluster.create("drop", dropped);
    cluster.awaitStatus("keep", s -> s.getActiveKid() != null);
    cluster.awaitStatus("drop", s -> s.getActiveKid() != null);
    assertThat(cluster.keySecret("keep").getMetadata().getOwnerReferences()).isEmpty();
    assertThat(cluster.keySecret("drop").getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(cluster.registry.find(IssuerMetrics.NEXT_ROTATION).tag("name", "drop").gauge())
        .isNotNull();
    String keptKeys = cluster.keySecret("keep").getData().get(IssuerNames.KEYSET_KEY);

    client.resources(MacpIssuer.class).inNamespace(NS).withName("drop").delete();
    client.resources(MacpIssuer.class).inNamespace(NS).withName("keep").delete();

    await().atMost(TIMEOUT).until(() -> cluster.issuer("drop") == null && cluster.issuer("keep") == null);
    assertThat(cluster.keySecret("drop")).isNull();
    assertThat(client.configMaps().inNamespace(NS).withName("drop-jwks").get()).isNull();
    Secret kept = cluster.keySecret("keep");
    assertThat(kept).isNotNull();
    assertThat(kept.getData().get(IssuerNames.KEYSET_KEY)).isEqualTo(keptKeys);
    assertThat(kept.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(cluster.registry.find(IssuerMetrics.NEXT_ROTATION).tag("name", "drop").gauge())
        .isNull();

    // Re-creating the issuer adopts the retained keys instead of making new ones.
    MacpIssuer again = cluster.create("keep", retained);
    var status = cluster.awaitStatus("keep", s -> s.getActiveKid() != null);
    assertThat(keptKeys).isEqualTo(cluster.keySecret("keep").getData().get(IssuerNames.KEYSET_KEY));
    assertThat(status.getKeys()).hasSize(2);
    assertThat(again.getMetadata().getUid()).isNotNull();
  }

  @Test
  void aSameNamedSecretAndConfigMapNotOwnedByTheIssuerSurviveItsDeletion() {
    // someone else's objects under the names the issuer would use
    Secret foreign = client.secrets().inNamespace(NS).resource(new SecretBuilder()
        .withNewMetadata().withName("foreign-keys").endMetadata()
        .withData(Map.of("other", "c29tZW9uZSBlbHNlJ3M=")).build()).create();
    ConfigMap foreignJwks = client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("foreign-jwks").endMetadata()
        .withData(Map.of("other", "someone else's")).build()).create();
    cluster.create("foreign", IssuerTestCluster.slowSpec());
    // a Secret without a key set is reported, never overwritten nor adopted
    cluster.awaitStatus("foreign", s -> IssuerTestCluster.conditionOf(s, IssuerConditions.KEYS_READY)
        .filter(c -> "KeySetCorrupt".equals(c.getReason())).isPresent());

    client.resources(MacpIssuer.class).inNamespace(NS).withName("foreign").delete();
    await().atMost(TIMEOUT).until(() -> cluster.issuer("foreign") == null);

    Secret after = client.secrets().inNamespace(NS).withName("foreign-keys").get();
    assertThat(after).isNotNull();
    assertThat(after.getData()).isEqualTo(foreign.getData());
    ConfigMap jwksAfter = client.configMaps().inNamespace(NS).withName("foreign-jwks").get();
    assertThat(jwksAfter).isNotNull();
    assertThat(jwksAfter.getData()).isEqualTo(foreignJwks.getData());
  }
}
