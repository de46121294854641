package io.macp.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySetPlanner;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.reconciler.IssuerMetrics;
import io.macp.operator.reconciler.IssuerTestCluster;
import io.macp.operator.reconciler.MacpIssuerReconciler;
import io.macp.operator.resources.TestMint;
import io.macp.operator.scope.ManagedNamespaces;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a namespace-scoped operator (WATCH_NAMESPACES) creates, binds and runs nothing
 * outside its namespaces, and writes nothing there, not even for an issuer it does see. Mock API
 * server in CRUD mode.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class NamespaceScopeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String MANAGED = "team-a";
  private static final String OTHER = "team-b";

  KubernetesClient client;
  IssuerTestCluster cluster;
  Operator operator;

  @BeforeEach
  void setUp() {
    cluster = new IssuerTestCluster(client);
    for (String ns : new String[] {MANAGED, OTHER}) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
          .endMetadata().build()).create();
    }
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.stop();
    }
  }

  private void start(ManagedNamespaces watched) {
    operator = MacpOperatorFactory.create(client, new SimpleMeterRegistry(), Clock.systemUTC(),
        false, KeyGenerator.secure(), ManagedNamespaces.of(MANAGED), watched);
    operator.start();
  }

  private static MacpIssuerSpec serviceAccountSpec() {
    MacpIssuerSpec spec = IssuerTestCluster.slowSpec();
    spec.setMint(TestMint.serviceAccount("team-a/orchestrator"));
    return spec;
  }

  /** Both issuers are created; the managed one is fully set up, the other left as created. */
  private void assertOnlyTheManagedIssuerIsServed() {
    cluster.createIn(MANAGED, "auth", serviceAccountSpec());
    cluster.createIn(OTHER, "auth", serviceAccountSpec());
    await().atMost(TIMEOUT).until(() ->
        client.apps().deployments().inNamespace(MANAGED).withName("auth").get() != null
            && client.serviceAccounts().inNamespace(MANAGED).withName("auth-issuer").get() != null
            && cluster.tokenReviewSubjects().contains("ServiceAccount:" + MANAGED + "/auth-issuer")
            && issuer(MANAGED).getStatus() != null);
    // a later event for the other issuer is ignored too
    client.resources(MacpIssuer.class).inNamespace(OTHER).withName("auth").edit(i -> {
      i.getMetadata().getLabels().put("nudge", "1");
      return i;
    });
    await().atMost(TIMEOUT).until(() -> issuer(MANAGED).getStatus().getTokenReviewBinding() != null);

    MacpIssuer other = issuer(OTHER);
    assertThat(other.getStatus()).isNull();
    assertThat(other.getMetadata().getFinalizers()).isNullOrEmpty();
    assertThat(client.secrets().inNamespace(OTHER).list().getItems()).isEmpty();
    assertThat(client.configMaps().inNamespace(OTHER).list().getItems()).isEmpty();
    assertThat(client.apps().deployments().inNamespace(OTHER).list().getItems()).isEmpty();
    assertThat(client.services().inNamespace(OTHER).list().getItems()).isEmpty();
    assertThat(client.serviceAccounts().inNamespace(OTHER).list().getItems()).isEmpty();
    assertThat(client.v1().events().inNamespace(OTHER).list().getItems()).isEmpty();
    assertThat(cluster.tokenReviewSubjects())
        .containsExactly("ServiceAccount:" + MANAGED + "/auth-issuer");
  }

  private MacpIssuer issuer(String ns) {
    return client.resources(MacpIssuer.class).inNamespace(ns).withName("auth").get();
  }

  @Test
  void anOperatorWatchingItsNamespacesActsOnlyThere() {
    start(ManagedNamespaces.of(MANAGED));
    assertOnlyTheManagedIssuerIsServed();
  }

  /** Informers that see every namespace (a misconfiguration, a bug): still nothing outside. */
  @Test
  void anIssuerSeenOutsideTheManagedNamespacesIsLeftAlone() {
    start(ManagedNamespaces.allNamespaces());
    assertOnlyTheManagedIssuerIsServed();
  }

  /**
   * The reconciler's own check, behind JOSDK's event filter: an unmanaged issuer returns before
   * the context is used (a null context would throw otherwise).
   */
  @Test
  void theReconcilerItselfRefusesAnUnmanagedIssuer() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MacpIssuerReconciler reconciler = new MacpIssuerReconciler(Clock.systemUTC(),
        new KeySetPlanner(KeyGenerator.secure()), new IssuerMetrics(registry, Clock.systemUTC()),
        ManagedNamespaces.of(MANAGED), io.macp.operator.verifiers.VerifierCoverageSource.NONE);
    MacpIssuer other = new MacpIssuer();
    other.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withNamespace(OTHER).withName("auth").build());
    other.setSpec(serviceAccountSpec());
    assertThat(reconciler.reconcile(other, null).isNoUpdate()).isTrue();
    assertThat(reconciler.cleanup(other, null).isRemoveFinalizer()).isFalse();
  }
}
