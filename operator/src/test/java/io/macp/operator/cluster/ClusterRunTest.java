package io.macp.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.operator.MacpOperatorFactory;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.resources.IssuerDeploymentBuilder;
import io.macp.operator.resources.IssuerNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode on the fabric8 mock server (CRUD mode): the health and metrics endpoints over real
 * HTTP, and the Deployment, Service and PodDisruptionBudget made by the dependents, owned by the
 * MacpIssuer.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterRunTest {
  private static final String NS = "team-a";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  KubernetesClient client;
  private ClusterRun run;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void start() throws Exception {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(CustomResourceDefinitionContext.v1CRDFromCustomResourceType(MacpIssuer.class).build())
        .create();
    run =
        ClusterRun.start(
            client,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            // no leader election here: JOSDK exits the JVM when a leader stops (see docs/operations.md)
            (c, registry) -> MacpOperatorFactory.create(c, registry, Clock.systemUTC(), false));
  }

  @AfterEach
  void stop() {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void becomesReadyAndServesTheOperatorsMetrics() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    await().atMost(TIMEOUT).until(() -> get("/readyz").statusCode() == 200);
    assertThat(get("/readyz").body()).isEqualTo("{\"ready\":true}");

    String metrics = get("/metrics").body();
    assertThat(metrics).contains("jvm_memory_used_bytes");
    // the registry handed to the factory is the one scraped: JOSDK's controller metrics show up
    assertThat(metrics).contains("macpissuer");
  }

  @Test
  void dependentsAreCreatedOwnedAndLabelledAndThePdbFollowsReplicas() throws Exception {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("auth").build());
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.getSigning().setAlgorithm("ES256");
    spec.setReplicas(2);
    issuer.setSpec(spec);
    MacpIssuer created = client.resource(issuer).create();

    await().atMost(TIMEOUT).until(() -> deployment() != null && service() != null && pdb() != null);

    // keys first: the Deployment only exists once the key Secret does
    assertThat(client.secrets().inNamespace(NS).withName("auth-keys").get()).isNotNull();
    for (HasMetadata owned : new HasMetadata[] {deployment(), service(), pdb()}) {
      assertThat(owned.getMetadata().getLabels()).containsAllEntriesOf(IssuerNames.labels(created));
      assertThat(owned.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> ownedBy(o, created));
    }
    assertThat(deployment().getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("auth-keys"));
    // what the API server stores is exactly what the builder makes
    assertThat(YAML.asYaml(deployment().getSpec().getTemplate()))
        .isEqualTo(IssuerDeploymentBuilder.podTemplateYaml(created));
    assertThat(service().getSpec().getPorts().get(0).getPort()).isEqualTo(3200);

    // the operator's own metrics reach /metrics through the registry handed to the factory
    await().atMost(TIMEOUT).until(() -> get("/metrics").body().contains("macp_issuer_jwks_keys{"));
    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains("macp_issuer_next_rotation_timestamp_seconds{")
        .contains("operator_sdk_reconciliations_started");

    // one replica: the budget goes away, the rest stays
    client.resources(MacpIssuer.class).inNamespace(NS).withName("auth").edit(i -> {
      i.getSpec().setReplicas(1);
      return i;
    });
    await().atMost(TIMEOUT).until(() -> pdb() == null && deployment().getSpec().getReplicas() == 1);
    assertThat(service()).isNotNull();

    // and back
    client.resources(MacpIssuer.class).inNamespace(NS).withName("auth").edit(i -> {
      i.getSpec().setReplicas(3);
      return i;
    });
    await().atMost(TIMEOUT).until(() -> pdb() != null && deployment().getSpec().getReplicas() == 3);
  }

  private static void ownedBy(OwnerReference ref, MacpIssuer owner) {
    assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
    assertThat(ref.getKind()).isEqualTo("MacpIssuer");
    assertThat(ref.getName()).isEqualTo("auth");
    assertThat(ref.getController()).isTrue();
  }

  private io.fabric8.kubernetes.api.model.apps.Deployment deployment() {
    return client.apps().deployments().inNamespace(NS).withName("auth").get();
  }

  private io.fabric8.kubernetes.api.model.Service service() {
    return client.services().inNamespace(NS).withName("auth").get();
  }

  private io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget pdb() {
    return client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("auth").get();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + run.healthPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
