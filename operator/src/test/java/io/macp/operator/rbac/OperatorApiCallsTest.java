package io.macp.operator.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.macp.operator.MockServerRequests;
import io.javaoperatorsdk.operator.Operator;
import io.macp.keyset.KeyGenerator;
import io.macp.operator.MacpOperatorFactory;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.macp.operator.model.v1alpha1.DeclaredVerifiersSpec;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import io.macp.operator.rbac.OperatorPermissions.Grant;
import io.macp.operator.rbac.OperatorPermissions.Scope;
import io.macp.operator.reconciler.IssuerTestCluster;
import io.macp.operator.resources.TestMint;
import io.macp.operator.scope.ManagedNamespaces;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: what the operator actually calls is what {@link OperatorPermissions} grants. The real
 * operator (leader election on) runs every kind of issuer through creation, mode changes and
 * deletion against the mock API server (CRUD mode), which records every request; each request of
 * the operator's client is mapped to (namespace, apiGroup, resource, verb, name) and must be
 * allowed by the table, in the cluster-wide and in the namespace-scoped configuration. The test
 * also lists the grants the run used, so a grant nobody calls shows up (see {@link
 * #NOT_EXERCISED}).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorApiCallsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String AGENT = "macp-operator-under-test";
  private static final String NS = "team-a";

  /**
   * Grants in the table that this run does not call, each with the reason it is still granted.
   * The test fails if one of these is called after all (then it belongs in no list) or if another
   * grant goes unused (then it must be justified here or removed from the table).
   */
  static final Set<String> NOT_EXERCISED = Set.of(
      // not requests but authorization checks: the OwnerReferencesPermissionEnforcement
      // admission plugin (blockOwnerDeletion) and RBAC's escalation check on a binding update
      "macp.io/macpissuers/finalizers update",
      "rbac.authorization.k8s.io/clusterroles bind",
      // reads come from the informers' caches; get reveals nothing list does not
      "macp.io/macpissuers get",
      "macp.io/macpissuers/status get",
      "/services get",
      "/serviceaccounts get",
      "apps/deployments get",
      "networking.k8s.io/networkpolicies get",
      "policy/poddisruptionbudgets get",
      // key rotation (compare-and-swap update of the key Secret and the JWKS ConfigMap) and
      // edits of a dependent's desired state, which this run does not make
      "/secrets update",
      "/configmaps update",
      "/services update",
      "/serviceaccounts update",
      "networking.k8s.io/networkpolicies update",
      "policy/poddisruptionbudgets update",
      // the failed-reconcile status (MintSecurityReconcilerTest makes one)
      "macp.io/macpissuers/status patch",
      // the Service is never deleted here: its owner reference has the garbage collector do it;
      // the Deployment is deleted by JOSDK when its precondition (a usable key Secret) fails
      "/services delete",
      "apps/deployments delete",
      // the key Secret is deleted with its issuer only under retainKeysOnDelete: false (the
      // default keeps it; KeySecretRecoveryTest deletes one)
      "/secrets delete",
      // spec.rotation.activationGate Observe/Hold reads the issuer pods (off in this run;
      // ActivationGateReconcileTest and VerifierGateE2ETest use it)
      "/pods get",
      "/pods list",
      // Leader election is off here: losing the Lease when the operator stops ends the process
      // (MacpOperatorFactory), which would end the test JVM. The Lease rules are pinned by
      // InstallManifestsTest, and JOSDK checks them at start (SelfSubjectRulesReview).
      "coordination.k8s.io/leases create",
      "coordination.k8s.io/leases get",
      "coordination.k8s.io/leases update",
      "coordination.k8s.io/leases patch");

  /**
   * Calls outside the table that every authenticated user may make (the default ClusterRole
   * system:basic-user): JOSDK asks before leader election whether it may use Leases.
   */
  static final Set<String> GRANTED_TO_EVERYONE = Set.of(
      "(cluster) authorization.k8s.io/selfsubjectrulesreviews create");

  KubernetesClient client;
  KubernetesMockServer server;

  /** One API request of the operator, as RBAC sees it. */
  record Call(String namespace, String group, String resource, String verb, String name) {
    @Override
    public String toString() {
      return (namespace == null ? "(cluster)" : namespace) + " " + group + "/" + resource
          + (name == null ? "" : "[" + name + "]") + " " + verb;
    }
  }

  /** Maps a request line to the RBAC attributes the API server would check. */
  static Call call(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    List<String> seg = new ArrayList<>(List.of(path.substring(1).split("/")));
    String group;
    if (seg.get(0).equals("api")) {
      group = "";
      seg = seg.subList(2, seg.size());
    } else {
      group = seg.get(1);
      seg = seg.subList(3, seg.size());
    }
    String namespace = null;
    if (seg.size() >= 3 && seg.get(0).equals("namespaces")) {
      namespace = seg.get(1);
      seg = seg.subList(2, seg.size());
    }
    String resource = seg.get(0);
    String name = seg.size() > 1 ? seg.get(1) : null;
    if (seg.size() > 2) {
      resource = resource + "/" + seg.get(2);
    }
    boolean watch = List.of(query.split("&")).contains("watch=true");
    String verb = switch (method) {
      case "GET" -> watch ? "watch" : name == null ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name == null ? "deletecollection" : "delete";
      default -> method;
    };
    return new Call(namespace, group, resource, verb, name);
  }

  @Test
  void requestLinesMapToRbacAttributes() {
    assertThat(call("GET", "/api/v1/namespaces/a/secrets?labelSelector=x&watch=true"))
        .isEqualTo(new Call("a", "", "secrets", "watch", null));
    assertThat(call("GET", "/api/v1/secrets?labelSelector=x"))
        .isEqualTo(new Call(null, "", "secrets", "list", null));
    assertThat(call("PATCH", "/apis/macp.io/v1alpha1/namespaces/a/macpissuers/x/status"))
        .isEqualTo(new Call("a", "macp.io", "macpissuers/status", "patch", "x"));
    assertThat(call("PUT", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/b"))
        .isEqualTo(new Call(null, "rbac.authorization.k8s.io", "clusterrolebindings", "update", "b"));
    assertThat(call("DELETE", "/apis/apps/v1/namespaces/a/deployments/x"))
        .isEqualTo(new Call("a", "apps", "deployments", "delete", "x"));
  }

  /** Whether the table allows a call, given the namespaces the operator manages. */
  static boolean allowed(Call c, ManagedNamespaces managed, String operatorNamespace) {
    if (GRANTED_TO_EVERYONE.contains(c.toString())) {
      return true;
    }
    if (c.namespace() == null) {
      // cluster-scoped objects, or a namespaced kind across all namespaces
      return OperatorPermissions.allows(Scope.CLUSTER, c.group(), c.resource(), c.verb(), c.name())
          || (managed.all() && OperatorPermissions.allows(
              Scope.MANAGED_NAMESPACES, c.group(), c.resource(), c.verb(), c.name()));
    }
    if (GRANTED_TO_EVERYONE.contains(c.toString())) {
      return true;
    }
    return (c.namespace().equals(operatorNamespace) && OperatorPermissions.allows(
            Scope.OPERATOR_NAMESPACE, c.group(), c.resource(), c.verb(), c.name()))
        || (managed.contains(c.namespace()) && OperatorPermissions.allows(
            Scope.MANAGED_NAMESPACES, c.group(), c.resource(), c.verb(), c.name()));
  }

  @Test
  void theClusterWideOperatorCallsOnlyWhatTheTableGrants() throws Exception {
    run(ManagedNamespaces.allNamespaces());
  }

  @Test
  void theNamespaceScopedOperatorCallsOnlyWhatTheTableGrantsThere() throws Exception {
    run(ManagedNamespaces.of(NS));
  }

  private void run(ManagedNamespaces managed) throws Exception {
    IssuerTestCluster cluster = new IssuerTestCluster(client);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS)
        .endMetadata().build()).create();
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
        .withName("tokens").endMetadata()
        .addToData("orchestrator", "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Ng==").build()).create();
    drain(); // the set-up above is the test's, not the operator's

    KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(
        new ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
    String operatorNamespace = operatorClient.getNamespace();
    Operator operator = MacpOperatorFactory.create(operatorClient, new SimpleMeterRegistry(),
        Clock.systemUTC(), false, KeyGenerator.secure(), managed);
    operator.start();
    try {
      exercise(cluster);
    } finally {
      operator.stop();
      operatorClient.close();
    }

    List<Call> calls = new ArrayList<>();
    for (RecordedRequest r : drain()) {
      if (AGENT.equals(r.getHeader("User-Agent"))) {
        calls.add(call(r.getMethod(), r.getPath()));
      }
    }
    assertThat(calls).as("the operator's requests were recorded").isNotEmpty();
    assertThat(calls).allSatisfy(c -> assertThat(allowed(c, managed, operatorNamespace))
        .as("%s is granted by OperatorPermissions", c).isTrue());

    Set<String> unused = new TreeSet<>();
    for (Grant g : OperatorPermissions.GRANTS) {
      for (String verb : g.verbs()) {
        boolean used = calls.stream().anyMatch(c -> c.group().equals(g.apiGroup())
            && c.resource().equals(g.resource()) && c.verb().equals(verb)
            && (g.resourceNames().isEmpty() || g.resourceNames().contains(c.name())));
        if (!used) {
          unused.add(g.apiGroup() + "/" + g.resource() + " " + verb);
        }
      }
    }
    assertThat(unused).as("grants this run did not call").isEqualTo(NOT_EXERCISED);
  }

  private List<RecordedRequest> drain() throws InterruptedException {
    return MockServerRequests.drain(server, Duration.ofMillis(200));
  }

  /** Every kind of issuer, through creation, mode changes and deletion. */
  private void exercise(IssuerTestCluster cluster) {
    MacpIssuerSpec plain = IssuerTestCluster.slowSpec(); // replicas 2: a PodDisruptionBudget
    // declared verifiers: lists Deployments, StatefulSets and DaemonSets by the selector
    DeclaredVerifiersSpec verifiers = new DeclaredVerifiersSpec();
    verifiers.setSelector(new LabelSelectorBuilder().addToMatchLabels("app", "macp-runtime")
        .build());
    plain.setVerifiers(verifiers);
    cluster.createIn(NS, "plain", plain);
    MacpIssuerSpec shared = IssuerTestCluster.slowSpec();
    MintSpec sharedMint = TestMint.sharedSecret("tokens");
    sharedMint.setAllowedFrom(List.of(TestMint.peer("a", "orchestrator")));
    shared.setMint(sharedMint);
    cluster.createIn(NS, "shared", shared);
    MacpIssuerSpec sa = IssuerTestCluster.slowSpec();
    sa.setMint(TestMint.serviceAccount("team-a/orchestrator"));
    cluster.createIn(NS, "sa", sa);

    await().atMost(TIMEOUT).until(() ->
        client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("plain").get() != null
            && client.network().v1().networkPolicies().inNamespace(NS).withName("shared").get()
                != null
            && client.serviceAccounts().inNamespace(NS).withName("sa-issuer").get() != null
            && cluster.tokenReviewSubjects().contains("ServiceAccount:" + NS + "/sa-issuer")
            && List.of("plain", "shared", "sa").stream().allMatch(n ->
                issuer(n).getStatus() != null && issuer(n).getStatus().getActiveKid() != null)
            && issuer("plain").getStatus().getDeclaredVerifiers() != null);

    // what goes away while the issuer stays
    edit("plain", i -> i.getSpec().setReplicas(1));
    edit("shared", i -> i.getSpec().getMint().setAllowedFrom(null));
    edit("sa", i -> i.getSpec().setMint(new MintSpec()));
    await().atMost(TIMEOUT).until(() ->
        client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("plain").get() == null
            && client.network().v1().networkPolicies().inNamespace(NS).withName("shared").get()
                == null
            && client.serviceAccounts().inNamespace(NS).withName("sa-issuer").get() == null
            && cluster.tokenReviewSubjects().isEmpty());

    for (String n : List.of("plain", "shared", "sa")) {
      client.resources(MacpIssuer.class).inNamespace(NS).withName(n).delete();
    }
    await().atMost(TIMEOUT).until(() ->
        client.resources(MacpIssuer.class).inNamespace(NS).list().getItems().isEmpty());
  }

  private MacpIssuer issuer(String name) {
    return client.resources(MacpIssuer.class).inNamespace(NS).withName(name).get();
  }

  private void edit(String name, java.util.function.Consumer<MacpIssuer> change) {
    client.resources(MacpIssuer.class).inNamespace(NS).withName(name).edit(i -> {
      change.accept(i);
      return i;
    });
  }
}
