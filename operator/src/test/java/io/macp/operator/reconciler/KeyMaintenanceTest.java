package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.macp.keyset.InvalidKeySetException;
import io.macp.keyset.IssuerSettings;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.KeySetPlanner;
import io.macp.keyset.ManagedKey;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import io.macp.operator.resources.IssuerNames;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The compare-and-swap loop against the CRUD mock server, without an operator. */
@EnableKubernetesMockClient(crud = true, https = false)
class KeyMaintenanceTest {
  KubernetesClient client;
  private final AtomicInteger generated = new AtomicInteger();
  private final KeySetPlanner planner = new KeySetPlanner(spec -> {
    generated.incrementAndGet();
    return KeyGenerator.secure().generate(spec);
  });
  private MacpIssuer issuer;
  private IssuerPolicy policy;
  private final Instant t0 = Instant.now();

  @BeforeEach
  void setUp() {
    issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withName("cas").withNamespace("ns").withUid("u-1")
        .build());
    issuer.setSpec(IssuerTestCluster.slowSpec());
    policy = IssuerSpecValidator.validate(issuer).policy().orElseThrow();
  }

  @Test
  void createsOnceAndNeverRegeneratesOnReapply() {
    var first = new KeyMaintenance(new KeySecretStore(client), planner).run(issuer, policy, t0);
    assertThat(first.keys().keySet().keys()).hasSize(2);
    assertThat(generated).hasValue(2);
    String rv = secret().getMetadata().getResourceVersion();

    var again = new KeyMaintenance(new KeySecretStore(client), planner)
        .run(issuer, policy, t0.plusSeconds(5));
    assertThat(again.keys().keySet()).isEqualTo(first.keys().keySet());
    assertThat(generated).hasValue(2);
    assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(rv);
    assertThat(again.nextDeadline()).contains(first.keys().keySet().keys().get(1).activateAt());
  }

  /**
   * Token TTLs and the JWKS cache TTL reach the pods through the key set (not the pod template):
   * a change of them is one compare-and-swap write of the Secret that keeps every key.
   */
  @Test
  void tokenTtlAndCacheTtlChangesAreAKeySetWriteThatKeepsTheKeys() throws Exception {
    new KeyMaintenance(new KeySecretStore(client), planner).run(issuer, policy, t0);
    KeySet before = keySet();
    assertThat(before.settings()).contains(new IssuerSettings(policy.defaultTokenTtl(),
        policy.maxTokenTtl(), policy.rotation().verifierCacheTtl()));
    String rv = secret().getMetadata().getResourceVersion();

    issuer.getSpec().getTokens().setDefaultTtl("42s");
    issuer.getSpec().getTokens().setMaxTtl("30m");
    issuer.getSpec().getRotation().setVerifierCacheTtl("7s");
    IssuerPolicy changed = IssuerSpecValidator.validate(issuer).policy().orElseThrow();
    new KeyMaintenance(new KeySecretStore(client), planner).run(issuer, changed, t0.plusSeconds(5));

    KeySet after = keySet();
    assertThat(secret().getMetadata().getResourceVersion()).isNotEqualTo(rv);
    assertThat(after.settings()).contains(
        new IssuerSettings(Duration.ofSeconds(42), Duration.ofMinutes(30), Duration.ofSeconds(7)));
    assertThat(after.keys()).extracting(ManagedKey::kid)
        .containsExactlyElementsOf(before.keys().stream().map(ManagedKey::kid).toList());
    // a lower maximum never lowers what a key already promised (docs/rotation.md)
    assertThat(after.keys()).extracting(ManagedKey::maxTokenTtl)
        .containsExactlyElementsOf(before.keys().stream().map(ManagedKey::maxTokenTtl).toList());
  }

  @Test
  void aConflictIsReplannedFromTheFreshSecretNotOverwritten() throws Exception {
    new KeyMaintenance(new KeySecretStore(client), planner).run(issuer, policy, t0);
    KeySet stored = keySet();
    // Another writer (say, a second operator) rotated first: its keys must survive our write.
    ManagedKey theirNext = stored.keys().get(1);
    issuer.getMetadata().setAnnotations(Map.of("macp.io/rotate", "ours"));
    AtomicInteger conflicts = new AtomicInteger();
    KeySecretStore racing = new KeySecretStore(client) {
      @Override
      Secret replace(Secret desired) {
        if (conflicts.getAndIncrement() == 0) {
          Secret now = client.secrets().inNamespace("ns").withName("cas-keys").get();
          Map<String, String> annotations = new HashMap<>(now.getMetadata().getAnnotations());
          annotations.put("other-writer", "was-here");
          client.secrets().inNamespace("ns").resource(new SecretBuilder(now).editMetadata()
              .withAnnotations(annotations).endMetadata().build()).update();
        }
        return super.replace(desired);
      }
    };
    var outcome = new KeyMaintenance(racing, planner).run(issuer, policy, t0.plusSeconds(2));
    assertThat(conflicts).hasValue(2);
    assertThat(outcome.rotateApplied()).isTrue();
    assertThat(secret().getMetadata().getAnnotations()).containsEntry("other-writer", "was-here")
        .containsEntry(KeySecretStore.HANDLED_ROTATE, "ours");
    assertThat(keySet().find(theirNext.kid())).isPresent();
  }

  @Test
  void endlessConflictsFailInsteadOfOverwriting() {
    new KeyMaintenance(new KeySecretStore(client), planner).run(issuer, policy, t0);
    issuer.getMetadata().setAnnotations(Map.of("macp.io/rotate", "x"));
    KeySecretStore alwaysStale = new KeySecretStore(client) {
      @Override
      Secret replace(Secret desired) {
        Secret now = client.secrets().inNamespace("ns").withName("cas-keys").get();
        client.secrets().inNamespace("ns").resource(new SecretBuilder(now).editMetadata()
            .addToAnnotations("bump", String.valueOf(System.nanoTime())).endMetadata().build())
            .update();
        return super.replace(desired);
      }
    };
    assertThatThrownBy(() -> new KeyMaintenance(alwaysStale, planner).run(issuer, policy, t0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("5 conflicts");
  }

  @Test
  void aNonceRecordedInTheSecretIsNotAppliedTwiceEvenIfStatusMissedIt() throws Exception {
    issuer.getMetadata().setAnnotations(Map.of("macp.io/rotate", "n1"));
    new KeyMaintenance(new KeySecretStore(client), planner).run(issuer, policy, t0);
    KeySet afterFirst = keySet();
    issuer.setStatus(new MacpIssuerStatus()); // the status write was lost
    var second = new KeyMaintenance(new KeySecretStore(client), planner)
        .run(issuer, policy, t0.plusSeconds(3));
    assertThat(second.rotateApplied()).isFalse();
    assertThat(second.handledRotateNonce()).isEqualTo("n1");
    // The schedule adds the next key a period after the current one activated; a second
    // rotation would have made it activate one lead time (1s) from now instead.
    KeySet now = keySet();
    assertThat(now.keys()).hasSize(3);
    assertThat(now.keys().subList(0, 2)).extracting(ManagedKey::kid)
        .containsExactlyElementsOf(afterFirst.keys().stream().map(ManagedKey::kid).toList());
    assertThat(now.keys().get(2).activateAt()).isAfter(t0.plusSeconds(1800));
  }

  private Secret secret() {
    return client.secrets().inNamespace("ns").withName("cas-keys").get();
  }

  private KeySet keySet() throws InvalidKeySetException {
    return KeySetJson.parse(Base64.getDecoder().decode(secret().getData().get(IssuerNames.KEYSET_KEY)));
  }
}
