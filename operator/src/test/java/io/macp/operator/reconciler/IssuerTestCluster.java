package io.macp.operator.reconciler;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.operator.crd.ProjectFiles;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.javaoperatorsdk.operator.Operator;
import io.macp.keyset.InvalidKeySetException;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.operator.MacpOperatorFactory;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.resources.IssuerNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A mock API server in CRUD mode with the MacpIssuer CRD and the TokenReview binding of deploy/
 * installed and a real operator on it. Public for the tests of other packages that start an
 * operator of their own on it.
 */
public final class IssuerTestCluster implements AutoCloseable {
  static final String NS = "macp";
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  final KubernetesClient client;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Operator operator;

  public IssuerTestCluster(KubernetesClient client) {
    this.client = client;
    // The CRUD mock serves a custom resource (and its status subresource) once its CRD is created.
    client.apiextensions().v1().customResourceDefinitions()
        .resource(CustomResourceDefinitionContext.v1CRDFromCustomResourceType(MacpIssuer.class)
            .build())
        .create();
    installTokenReviewBinding(client);
  }

  /**
   * The TokenReview ClusterRole and ClusterRoleBinding exactly as deploy/ ships them: the operator
   * only adds subjects to that binding, it never creates it.
   */
  static void installTokenReviewBinding(KubernetesClient client) {
    installTokenReviewBinding(client, false);
  }

  /** @param bindingOnly only the TokenReview ClusterRoleBinding (the rest is already there) */
  static void installTokenReviewBinding(KubernetesClient client, boolean bindingOnly) {
    for (var doc : ProjectFiles.yamlDocuments(
        ProjectFiles.deploy().resolve("tokenreview-clusterrole.yaml"))) {
      if (!bindingOnly || (doc.path("kind").asText().equals("ClusterRoleBinding")
          && doc.path("metadata").path("name").asText().equals(IssuerNames.TOKENREVIEW_BINDING))) {
        client.resource(SERIALIZATION.convertValue(doc, HasMetadata.class)).create();
      }
    }
  }

  ClusterRoleBinding tokenReviewBinding() {
    return client.rbac().clusterRoleBindings().withName(IssuerNames.TOKENREVIEW_BINDING).get();
  }

  /** namespace/name of the ServiceAccounts the TokenReview binding grants to. */
  public List<String> tokenReviewSubjects() {
    ClusterRoleBinding b = tokenReviewBinding();
    return b == null || b.getSubjects() == null ? List.of() : b.getSubjects().stream()
        .map(s -> s.getKind() + ":" + s.getNamespace() + "/" + s.getName()).toList();
  }

  IssuerTestCluster startOperator() {
    operator = MacpOperatorFactory.create(client, registry, Clock.systemUTC(), false);
    operator.start();
    return this;
  }

  /** Starts the operator on a given clock (tests that move time on). */
  IssuerTestCluster startOperator(Clock clock) {
    operator = MacpOperatorFactory.create(client, registry, clock, false);
    operator.start();
    return this;
  }

  /** Starts the operator with a given source of the replicas' verifier views. */
  IssuerTestCluster startOperator(io.macp.operator.verifiers.VerifierCoverageSource verifiers) {
    operator = MacpOperatorFactory.create(client, registry, Clock.systemUTC(), false,
        io.macp.keyset.KeyGenerator.secure(), verifiers);
    operator.start();
    return this;
  }

  void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  @Override
  public void close() {
    stopOperator();
  }

  /** A fast policy: period 3s, lead time 1s, retention 2s, ES256. */
  public static MacpIssuerSpec fastSpec() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.getSigning().setAlgorithm("ES256");
    spec.getRotation().setPeriod("3s");
    spec.getRotation().setVerifierCacheTtl("1s");
    spec.getRotation().setVerifierStaleGrace("0s");
    spec.getRotation().setPropagationDelay("0s");
    spec.getRotation().setClockSkew("0s");
    spec.getTokens().setDefaultTtl("1s");
    spec.getTokens().setMaxTtl("2s");
    return spec;
  }

  /** Same lead time, but a period long enough that the schedule never interferes. */
  public static MacpIssuerSpec slowSpec() {
    MacpIssuerSpec spec = fastSpec();
    spec.getRotation().setPeriod("1h");
    spec.getTokens().setMaxTtl("1h");
    spec.getTokens().setDefaultTtl("5m");
    return spec;
  }

  MacpIssuer create(String name, MacpIssuerSpec spec) {
    return createIn(NS, name, spec);
  }

  public MacpIssuer createIn(String namespace, String name, MacpIssuerSpec spec) {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    issuer.setSpec(spec);
    return client.resource(issuer).create();
  }

  MacpIssuer issuer(String name) {
    return client.resources(MacpIssuer.class).inNamespace(NS).withName(name).get();
  }

  /**
   * A user's edit: the patch carries the resourceVersion read, so a status write by the operator in
   * between answers 409; like kubectl, re-read and apply the change again.
   */
  void edit(String name, Consumer<MacpIssuer> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(MacpIssuer.class).inNamespace(NS).withName(name).edit(i -> {
          change.accept(i);
          return i;
        });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  Secret keySecret(String name) {
    return client.secrets().inNamespace(NS).withName(name + "-keys").get();
  }

  KeySet keySet(String name) {
    Secret s = keySecret(name);
    if (s == null) {
      return null;
    }
    try {
      return KeySetJson.parse(Base64.getDecoder().decode(s.getData().get(IssuerNames.KEYSET_KEY)));
    } catch (InvalidKeySetException e) {
      throw new AssertionError(e);
    }
  }

  Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  /** Plays the Deployment controller: reports every replica available. */
  void markDeploymentAvailable(String name) {
    Deployment d = deployment(name);
    int replicas = d.getSpec().getReplicas();
    d.setStatus(new DeploymentStatusBuilder()
        .withReplicas(replicas)
        .withReadyReplicas(replicas)
        .withAvailableReplicas(replicas)
        .withUpdatedReplicas(replicas)
        .withObservedGeneration(d.getMetadata().getGeneration())
        .build());
    client.apps().deployments().inNamespace(NS).resource(d).updateStatus();
  }

  MacpIssuerStatus awaitStatus(String name, java.util.function.Predicate<MacpIssuerStatus> until) {
    return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(
        () -> Optional.ofNullable(issuer(name)).map(MacpIssuer::getStatus).orElse(null),
        s -> s != null && until.test(s));
  }

  static Optional<String> condition(MacpIssuerStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus()).findFirst();
  }

  static Optional<io.fabric8.kubernetes.api.model.Condition> conditionOf(
      MacpIssuerStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static boolean isTrue(MacpIssuerStatus s, String type) {
    return condition(s, type).filter("True"::equals).isPresent();
  }

  List<Event> events(String name, String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
