package io.macp.operator.reconciler;

import static io.macp.operator.reconciler.IssuerTestCluster.NS;
import static io.macp.operator.reconciler.IssuerTestCluster.TIMEOUT;
import static io.macp.operator.reconciler.IssuerTestCluster.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.macp.operator.MockServerRequests;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MacpIssuerReconcilerTest extends RunningOperatorTest {
  KubernetesMockServer server;

  @Test
  void createsEveryObjectThenBecomesReadyWhenTheDeploymentIsAvailable() {
    MacpIssuer created = cluster.create("alpha", IssuerTestCluster.slowSpec());

    var status = cluster.awaitStatus("alpha", s -> s.getActiveKid() != null);
    assertThat(status.getKeys()).hasSize(2);
    assertThat(status.getKeys()).extracting(k -> k.getPhase()).containsExactly("Active", "Published");
    assertThat(status.getNextRotationAt()).isEqualTo(status.getKeys().get(1).getActivateAt());
    assertThat(status.getJwksUrl()).isEqualTo("http://alpha.macp.svc:3201/.well-known/jwks.json");
    assertThat(status.getMintUrl()).isEqualTo("http://alpha.macp.svc:3200/tokens");
    assertThat(isTrue(status, IssuerConditions.KEYS_READY)).isTrue();
    assertThat(isTrue(status, IssuerConditions.READY)).isFalse();

    Secret secret = cluster.keySecret("alpha");
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getMetadata().getLabels()).containsAllEntriesOf(
        IssuerNames.labels(created));
    // retained by default (spec.retainKeysOnDelete): no owner reference the garbage collector
    // could follow; the informer maps it to the issuer by its labels
    assertThat(secret.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(MacpIssuerReconciler.issuerOfLabels(secret)).singleElement()
        .satisfies(id -> assertThat(id.getName()).isEqualTo("alpha"));
    assertThat(cluster.keySet("alpha").keys()).extracting(k -> k.kid())
        .containsExactlyElementsOf(status.getKeys().stream().map(k -> k.getKid()).toList());

    ConfigMap jwks = client.configMaps().inNamespace(NS).withName("alpha-jwks").get();
    String json = jwks.getData().get(IssuerNames.JWKS_KEY);
    assertThat(json).contains(status.getActiveKid()).doesNotContain("\"d\"");
    assertThat(jwks.getMetadata().getOwnerReferences()).hasSize(1);

    await().atMost(TIMEOUT).until(() -> cluster.deployment("alpha") != null
        && client.services().inNamespace(NS).withName("alpha").get() != null
        && client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("alpha").get() != null);

    cluster.markDeploymentAvailable("alpha");
    status = cluster.awaitStatus("alpha", s -> isTrue(s, IssuerConditions.READY));
    assertThat(isTrue(status, IssuerConditions.AVAILABLE)).isTrue();
    assertThat(isTrue(status, IssuerConditions.INVALID_SPEC)).isFalse();
    assertThat(isTrue(status, IssuerConditions.ROTATION_BLOCKED)).isFalse();
    assertThat(status.getObservedGeneration()).isEqualTo(cluster.issuer("alpha").getMetadata().getGeneration());
    assertThat(cluster.events("alpha", KeyEventsDiffer.KEY_GENERATED)).hasSize(2);
    assertThat(cluster.events("alpha", KeyEventsDiffer.KEY_ACTIVATED)).hasSize(1);
  }

  @Test
  void rollsOutASpecChange() {
    cluster.create("beta", IssuerTestCluster.slowSpec());
    await().atMost(TIMEOUT).until(() -> cluster.deployment("beta") != null);
    String keysBefore = cluster.keySecret("beta").getData().get(IssuerNames.KEYSET_KEY);

    cluster.edit("beta", i -> {
      i.getSpec().setReplicas(3);
      i.getSpec().setAudience("other-runtime");
    });

    await().atMost(TIMEOUT).untilAsserted(() -> {
      var d = cluster.deployment("beta");
      assertThat(d.getSpec().getReplicas()).isEqualTo(3);
      assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .anySatisfy(e -> assertThat(e.getValue()).isEqualTo("other-runtime"));
    });
    var status = cluster.awaitStatus("beta", s -> s.getObservedGeneration() != null
        && s.getObservedGeneration().equals(cluster.issuer("beta").getMetadata().getGeneration()));
    assertThat(status.getObservedGeneration()).isGreaterThan(1L);
    // A spec change that is not about keys leaves the key set alone.
    assertThat(cluster.keySecret("beta").getData().get(IssuerNames.KEYSET_KEY)).isEqualTo(keysBefore);
  }

  @Test
  void anInvalidSpecIsReportedAndNothingRunningIsTouched() throws Exception {
    cluster.create("gamma", IssuerTestCluster.fastSpec());
    await().atMost(TIMEOUT).until(() -> cluster.deployment("gamma") != null
        && cluster.issuer("gamma").getStatus() != null
        && cluster.issuer("gamma").getStatus().getActiveKid() != null);

    cluster.edit("gamma", i -> i.getSpec().getRotation().setPeriod("500ms"));
    var status = cluster.awaitStatus("gamma", s -> isTrue(s, IssuerConditions.INVALID_SPEC));
    Secret secretAtRejection = cluster.keySecret("gamma");
    var deploymentAtRejection = cluster.deployment("gamma");

    var invalid = IssuerTestCluster.conditionOf(status, IssuerConditions.INVALID_SPEC).orElseThrow();
    assertThat(invalid.getReason()).isEqualTo("InvalidSpec");
    assertThat(invalid.getMessage()).contains("rotation period 500ms is shorter than the lead time 1s");
    assertThat(isTrue(status, IssuerConditions.READY)).isFalse();
    assertThat(isTrue(status, IssuerConditions.ROTATION_BLOCKED)).isTrue();
    assertThat(cluster.events("gamma", MacpIssuerReconciler.INVALID_SPEC_EVENT)).singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));

    // With the valid 3s period the key set would have changed by now; rejected, nothing moves.
    Thread.sleep(4000);
    Secret secretLater = cluster.keySecret("gamma");
    assertThat(secretLater.getMetadata().getResourceVersion())
        .isEqualTo(secretAtRejection.getMetadata().getResourceVersion());
    assertThat(secretLater.getData()).isEqualTo(secretAtRejection.getData());
    assertThat(cluster.deployment("gamma").getMetadata().getResourceVersion())
        .isEqualTo(deploymentAtRejection.getMetadata().getResourceVersion());

    cluster.edit("gamma", i -> i.getSpec().getRotation().setPeriod("3s"));
    cluster.awaitStatus("gamma", s -> !isTrue(s, IssuerConditions.INVALID_SPEC)
        && isTrue(s, IssuerConditions.KEYS_READY));
  }

  @Test
  void secretsAndConfigMapsAreOnlyListedAndWatchedByLabel() throws Exception {
    client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("unrelated").endMetadata()
        .addToStringData("password", "not-for-the-operator").build()).create();
    cluster.create("delta", IssuerTestCluster.slowSpec());
    cluster.awaitStatus("delta", s -> s.getActiveKid() != null);

    List<String> collectionReads = new ArrayList<>();
    for (RecordedRequest r : MockServerRequests.drain(server, Duration.ofMillis(10))) {
      String path = r.getPath();
      boolean collection = path.matches("/api/v1/(namespaces/[^/]+/)?(secrets|configmaps)(\\?.*)?");
      if ("GET".equals(r.getMethod()) && collection) {
        collectionReads.add(path);
      }
    }
    assertThat(collectionReads).isNotEmpty().allSatisfy(p -> assertThat(java.net.URLDecoder
        .decode(p, java.nio.charset.StandardCharsets.UTF_8)).contains("labelSelector=" + IssuerNames.MANAGED_SELECTOR));
  }
}
