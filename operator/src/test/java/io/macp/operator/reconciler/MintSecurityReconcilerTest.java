package io.macp.operator.reconciler;

import static io.macp.operator.reconciler.IssuerTestCluster.NS;
import static io.macp.operator.reconciler.IssuerTestCluster.TIMEOUT;
import static io.macp.operator.reconciler.IssuerTestCluster.conditionOf;
import static io.macp.operator.reconciler.IssuerTestCluster.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.time.Duration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.api.MintPolicyDocument;
import io.macp.operator.model.v1alpha1.ActivationGateSpec;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import io.macp.operator.resources.IssuerDeploymentBuilder;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.resources.TestMint;
import io.macp.operator.scope.OperatorPods;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** spec.mint end to end against the mock API server (CRUD mode) with the real operator. */
@EnableKubernetesMockClient(crud = true, https = false)
class MintSecurityReconcilerTest {
  KubernetesClient client;
  IssuerTestCluster cluster;

  @BeforeEach
  void start() {
    cluster = new IssuerTestCluster(client).startOperator();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static MacpIssuerSpec spec(MintSpec mint) {
    MacpIssuerSpec spec = IssuerTestCluster.slowSpec();
    spec.setMint(mint);
    return spec;
  }

  private void createSecret(String name, String... keys) {
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).endMetadata();
    for (String key : keys) {
      // base64 of a 24-character token; never looked at by the operator beyond its key
      secret.addToData(key, "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Ng==");
    }
    client.secrets().inNamespace(NS).resource(secret.build()).create();
  }

  /**
   * Other people's Secrets are not watched (re-checked every 30s); any edit of the issuer, like
   * this annotation, gets them looked at now.
   */
  private void nudge(String name) {
    cluster.edit(name, i -> {
      var annotations = new java.util.HashMap<String, String>();
      if (i.getMetadata().getAnnotations() != null) {
        annotations.putAll(i.getMetadata().getAnnotations());
      }
      annotations.put("test/nudge", Long.toString(System.nanoTime()));
      i.getMetadata().setAnnotations(annotations);
    });
  }

  private ConfigMap policyConfigMap(String name) {
    return client.configMaps().inNamespace(NS).withName(name + "-mint-policy").get();
  }

  /** Whether the issuer's ServiceAccount is a subject of the installed TokenReview binding. */
  private boolean granted(String name) {
    return cluster.tokenReviewSubjects().contains("ServiceAccount:" + NS + "/" + name + "-issuer");
  }

  @Test
  void sharedSecretRendersThePolicyTheIssuerParsesAndANetworkPolicyOnlyWithAllowedFrom()
      throws Exception {
    createSecret("alpha-tokens", "orchestrator", "observer", "observer.next");
    MintSpec mint = TestMint.sharedSecret("alpha-tokens");
    mint.setAllowedFrom(List.of(TestMint.peer("a", "orchestrator")));
    cluster.create("alpha", spec(mint));

    await().atMost(TIMEOUT).until(() -> policyConfigMap("alpha") != null
        && cluster.deployment("alpha") != null
        && client.network().v1().networkPolicies().inNamespace(NS).withName("alpha").get() != null);
    ConfigMap cm = policyConfigMap("alpha");
    assertThat(cm.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("alpha"));
    MintPolicyDocument policy = MintPolicyDocument.parse(cm.getData().get(IssuerNames.MINT_POLICY_KEY));
    policy.validate();
    assertThat(policy.authentication()).isEqualTo(AuthenticationMode.SHARED_SECRET);
    assertThat(policy.clients()).extracting(MintPolicyDocument.Client::sharedSecret)
        .containsExactly("orchestrator", "observer");
    assertThat(cm.getData().get(IssuerNames.MINT_POLICY_KEY)).doesNotContain("c2VjcmV0");

    // The mint port only from the peers; the public port (JWKS, health) from everywhere, and the
    // Service, probes and status point verifiers and the kubelet at that public port.
    var ingress = client.network().v1().networkPolicies().inNamespace(NS).withName("alpha").get()
        .getSpec().getIngress();
    assertThat(ingress).hasSize(2);
    assertThat(ingress.get(0).getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(3200));
    assertThat(ingress.get(0).getFrom()).hasSize(1);
    assertThat(ingress.get(1).getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(3201));
    assertThat(ingress.get(1).getFrom()).isNullOrEmpty();
    await().atMost(TIMEOUT).until(() ->
        client.services().inNamespace(NS).withName("alpha").get() != null);
    assertThat(client.services().inNamespace(NS).withName("alpha").get().getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getStrVal())
        .containsExactly("http:3200->http", "public:3201->public");
    var container = cluster.deployment("alpha").getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("public");
    assertThat(container.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("MACP_AUTH_PUBLIC_PORT");
      assertThat(e.getValue()).isEqualTo("3201");
    });

    var status = cluster.awaitStatus("alpha", s -> isTrue(s, IssuerConditions.MINT_SECURED));
    assertThat(status.getJwksUrl()).isEqualTo("http://alpha." + NS + ".svc:3201/.well-known/jwks.json");
    assertThat(status.getMintUrl()).isEqualTo("http://alpha." + NS + ".svc:3200/tokens");
    assertThat(conditionOf(status, IssuerConditions.MINT_SECURED).orElseThrow().getMessage())
        .contains("SharedSecret", "2 client(s)", "NetworkPolicy");
    assertThat(client.serviceAccounts().inNamespace(NS).withName("alpha-issuer").get()).isNull();
    assertThat(granted("alpha")).isFalse();
    assertThat(cluster.events("alpha", MacpIssuerReconciler.MINT_UNAUTHENTICATED_EVENT)).isEmpty();

    // a new client is a policy edit: the ConfigMap changes, the pods are not rolled
    String template = IssuerDeploymentBuilder.podTemplateYaml(cluster.issuer("alpha"));
    String deploymentVersion = cluster.deployment("alpha").getMetadata().getResourceVersion();
    cluster.edit("alpha", i -> i.getSpec().getMint().getClients()
        .add(TestMint.client(null, "observer2", "agent://obs2")));
    await().atMost(TIMEOUT).until(() -> policyConfigMap("alpha").getData()
        .get(IssuerNames.MINT_POLICY_KEY).contains("observer2"));
    // a client without a token in the Secret is noted, not blocking: it just cannot authenticate
    cluster.awaitStatus("alpha", s -> conditionOf(s, IssuerConditions.MINT_SECURED)
        .filter(c -> c.getMessage().contains("no token for client(s) observer2")).isPresent());
    Deployment after = cluster.deployment("alpha");
    assertThat(IssuerDeploymentBuilder.podTemplateYaml(cluster.issuer("alpha"))).isEqualTo(template);
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(deploymentVersion);

    // a peer taken off the list loses its access
    cluster.edit("alpha", i -> i.getSpec().getMint().setAllowedFrom(List.of(
        TestMint.peer("a", "orchestrator"), TestMint.peer("b", null))));
    await().atMost(TIMEOUT).until(() -> client.network().v1().networkPolicies().inNamespace(NS)
        .withName("alpha").get().getSpec().getIngress().get(0).getFrom().size() == 2);
    cluster.edit("alpha", i -> i.getSpec().getMint().setAllowedFrom(List.of(
        TestMint.peer("b", null))));
    await().atMost(TIMEOUT).until(() -> client.network().v1().networkPolicies().inNamespace(NS)
        .withName("alpha").get().getSpec().getIngress().get(0).getFrom().size() == 1);

    // without allowedFrom, the NetworkPolicy goes
    cluster.edit("alpha", i -> i.getSpec().getMint().setAllowedFrom(null));
    await().atMost(TIMEOUT).until(() ->
        client.network().v1().networkPolicies().inNamespace(NS).withName("alpha").get() == null);

    // back to None: the policy ConfigMap goes and the pods lose its mount and the tokens
    cluster.edit("alpha", i -> i.getSpec().setMint(new MintSpec()));
    await().atMost(TIMEOUT).until(() -> policyConfigMap("alpha") == null);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.deployment("alpha").getSpec()
        .getTemplate().getSpec().getVolumes()).extracting(v -> v.getName())
        .containsExactlyInAnyOrder(IssuerDeploymentBuilder.KEYS_VOLUME,
            IssuerDeploymentBuilder.TMP_VOLUME));
  }

  private List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule> ingress(
      String name) {
    var np = client.network().v1().networkPolicies().inNamespace(NS).withName(name).get();
    return np == null ? List.of() : np.getSpec().getIngress();
  }

  @Test
  void whileTheActivationGateObservesTheNetworkPolicyAdmitsTheOperatorToTheMintPort() {
    MintSpec mint = new MintSpec();
    mint.setAllowedFrom(List.of(TestMint.peer("a", "orchestrator")));
    MacpIssuerSpec spec = spec(mint);
    ActivationGateSpec gate = new ActivationGateSpec();
    gate.setMode("Observe");
    spec.getRotation().setActivationGate(gate);
    cluster.create("gamma", spec);

    OperatorPods operator = OperatorPods.fromEnv(System.getenv());
    await().atMost(TIMEOUT).until(() -> ingress("gamma").size() == 3);
    var rule = ingress("gamma").get(2);
    assertThat(rule.getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(3200));
    assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
      assertThat(peer.getNamespaceSelector().getMatchLabels())
          .isEqualTo(java.util.Map.of("kubernetes.io/metadata.name", operator.namespace()));
      assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(operator.podLabels());
    });

    // Hold observes too; Off takes the operator's access away again
    cluster.edit("gamma", i -> i.getSpec().getRotation().getActivationGate().setMode("Hold"));
    nudge("gamma");
    assertThat(ingress("gamma")).hasSize(3);
    cluster.edit("gamma", i -> i.getSpec().getRotation().getActivationGate().setMode("Off"));
    await().atMost(TIMEOUT).until(() -> ingress("gamma").size() == 2);
    assertThat(ingress("gamma")).noneSatisfy(r -> assertThat(r.getFrom()).anySatisfy(peer ->
        assertThat(peer.getNamespaceSelector().getMatchLabels())
            .containsKey("kubernetes.io/metadata.name")));
  }

  @Test
  void serviceAccountModeGetsItsOwnAccountAndTokenReviewGrantOnlyWhileInThatMode() {
    MintSpec mint = TestMint.serviceAccount("team-a/orchestrator");
    cluster.create("beta", spec(mint));

    await().atMost(TIMEOUT).until(() -> granted("beta")
        && client.serviceAccounts().inNamespace(NS).withName("beta-issuer").get() != null
        && cluster.deployment("beta") != null);
    // the installed binding, its role unchanged; the issuer's account is its only subject
    ClusterRoleBinding b = cluster.tokenReviewBinding();
    assertThat(b.getRoleRef().getName()).isEqualTo("macp-issuer-tokenreview");
    assertThat(cluster.tokenReviewSubjects()).containsExactly("ServiceAccount:" + NS + "/beta-issuer");
    assertThat(client.serviceAccounts().inNamespace(NS).withName("beta-issuer").get()
        .getAutomountServiceAccountToken()).isFalse();
    assertThat(cluster.deployment("beta").getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("beta-issuer");
    assertThat(cluster.awaitStatus("beta", s -> s.getTokenReviewBinding() != null)
        .getTokenReviewBinding()).isEqualTo(IssuerNames.TOKENREVIEW_BINDING);
    // one binding for all issuers: the operator never creates a binding of its own
    assertThat(client.rbac().clusterRoleBindings().list().getItems())
        .extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder(
            IssuerNames.TOKENREVIEW_BINDING, "macp-issuer-operator-tokenreview-binding");

    // switching to None removes the grant, the account and the policy, and warns
    cluster.edit("beta", i -> i.getSpec().setMint(new MintSpec()));
    await().atMost(TIMEOUT).until(() -> !granted("beta")
        && client.serviceAccounts().inNamespace(NS).withName("beta-issuer").get() == null
        && policyConfigMap("beta") == null);
    var status = cluster.awaitStatus("beta",
        s -> conditionOf(s, IssuerConditions.MINT_SECURED).map(c -> c.getReason())
            .filter(MintState.REASON_AUTHENTICATION_NONE::equals).isPresent());
    assertThat(status.getTokenReviewBinding()).isNull();
    assertThat(cluster.tokenReviewBinding()).as("the binding itself stays installed").isNotNull();
    assertThat(cluster.events("beta", MacpIssuerReconciler.MINT_UNAUTHENTICATED_EVENT)).hasSize(1);
    await().atMost(TIMEOUT).until(() -> cluster.deployment("beta").getSpec().getTemplate()
        .getSpec().getServiceAccountName() == null);
  }

  @Test
  void deletingTheIssuerRemovesOnlyItsOwnSubject() {
    // someone else's subject in the shared binding (another installation, a person)
    ClusterRoleBinding installed = cluster.tokenReviewBinding();
    installed.setSubjects(List.of(new SubjectBuilder().withKind("ServiceAccount")
        .withNamespace("other").withName("gamma-issuer").build()));
    client.rbac().clusterRoleBindings().resource(installed).update();

    cluster.create("gamma", spec(TestMint.serviceAccount("team-a/orchestrator")));
    cluster.awaitStatus("gamma", s -> s.getTokenReviewBinding() != null);
    assertThat(granted("gamma")).isTrue();
    client.resources(MacpIssuer.class).inNamespace(NS).withName("gamma").delete();
    await().atMost(TIMEOUT).until(() -> cluster.issuer("gamma") == null && !granted("gamma"));
    assertThat(cluster.tokenReviewSubjects()).containsExactly("ServiceAccount:other/gamma-issuer");
  }

  /** Issue 10: many issuers update the one binding at once; each update is resourceVersion-locked. */
  @Test
  void issuersReconciledTogetherAllGetTheirGrant() {
    List<String> names = java.util.stream.IntStream.range(0, 6).mapToObj(i -> "many" + i).toList();
    names.forEach(n -> cluster.create(n, spec(TestMint.serviceAccount("team-a/orchestrator"))));
    await().atMost(TIMEOUT).until(() -> names.stream().allMatch(this::granted));
    assertThat(cluster.tokenReviewSubjects()).hasSize(names.size());
    names.forEach(n -> client.resources(MacpIssuer.class).inNamespace(NS).withName(n).delete());
    await().atMost(TIMEOUT).until(() -> cluster.tokenReviewSubjects().isEmpty());
  }

  /** A binding the operator must never touch, whatever an issuer's status names. */
  private ClusterRoleBinding createClusterAdminBinding() {
    return client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
        .withNewMetadata().withName("cluster-admin").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName("cluster-admin").endRoleRef()
        .addNewSubject().withKind("Group").withName("system:masters").endSubject()
        .build()).create();
  }

  /**
   * With the operator stopped, so no reconcile rewrites it first: status names a binding that is
   * not the issuer's, as anyone allowed to patch macpissuers/status could.
   */
  private void forgeStatusBinding(String name, String binding) {
    cluster.stopOperator();
    client.resources(MacpIssuer.class).inNamespace(NS).withName(name).editStatus(i -> {
      i.getStatus().setTokenReviewBinding(binding);
      return i;
    });
    assertThat(cluster.issuer(name).getStatus().getTokenReviewBinding()).isEqualTo(binding);
  }

  @Test
  void aBindingNamedInStatusSurvivesAModeSwitch() {
    ClusterRoleBinding admin = createClusterAdminBinding();
    cluster.create("zeta", spec(TestMint.serviceAccount("team-a/orchestrator")));
    cluster.awaitStatus("zeta", s -> s.getTokenReviewBinding() != null);
    assertThat(granted("zeta")).isTrue();

    forgeStatusBinding("zeta", "cluster-admin");
    cluster.edit("zeta", i -> i.getSpec().setMint(new MintSpec()));
    cluster.startOperator();

    // the issuer's own subject goes; the binding status named is left exactly as it was
    await().atMost(TIMEOUT).until(() -> !granted("zeta"));
    cluster.awaitStatus("zeta", s -> s.getTokenReviewBinding() == null);
    assertThat(client.rbac().clusterRoleBindings().withName("cluster-admin").get().getSubjects())
        .isEqualTo(admin.getSubjects());
  }

  @Test
  void aBindingNamedInStatusSurvivesTheIssuersDeletion() {
    ClusterRoleBinding admin = createClusterAdminBinding();
    cluster.create("eta", spec(TestMint.serviceAccount("team-a/orchestrator")));
    cluster.awaitStatus("eta", s -> s.getTokenReviewBinding() != null);
    assertThat(granted("eta")).isTrue();

    forgeStatusBinding("eta", "cluster-admin");
    client.resources(MacpIssuer.class).inNamespace(NS).withName("eta").delete();
    cluster.startOperator();

    await().atMost(TIMEOUT).until(() -> cluster.issuer("eta") == null && !granted("eta"));
    assertThat(client.rbac().clusterRoleBindings().withName("cluster-admin").get().getSubjects())
        .isEqualTo(admin.getSubjects());
  }

  /**
   * Issue 10: a binding of the TokenReview name that grants another role (replaced by someone
   * who may) never gets the issuer's account, and the issuer reports why.
   */
  @Test
  void aTokenReviewBindingOfAnotherRoleGetsNoSubject() {
    client.rbac().clusterRoleBindings().withName(IssuerNames.TOKENREVIEW_BINDING).delete();
    await().atMost(TIMEOUT).until(() -> cluster.tokenReviewBinding() == null);
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
        .withNewMetadata().withName(IssuerNames.TOKENREVIEW_BINDING).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName("cluster-admin").endRoleRef().build()).create();

    cluster.create("theta", spec(TestMint.serviceAccount("team-a/orchestrator")));
    var status = cluster.awaitStatus("theta", s -> conditionOf(s, IssuerConditions.READY)
        .filter(c -> c.getMessage() != null
            && c.getMessage().contains("does not bind the ClusterRole")).isPresent());
    assertThat(status.getTokenReviewBinding()).isNull();
    assertThat(cluster.tokenReviewSubjects()).isEmpty();
  }

  /** Issue 10: the operator may not create bindings; without the installed one it says so. */
  @Test
  void aMissingTokenReviewBindingIsReportedAndNotCreated() {
    client.rbac().clusterRoleBindings().withName(IssuerNames.TOKENREVIEW_BINDING).delete();
    await().atMost(TIMEOUT).until(() -> cluster.tokenReviewBinding() == null);

    cluster.create("iota", spec(TestMint.serviceAccount("team-a/orchestrator")));
    cluster.awaitStatus("iota", s -> conditionOf(s, IssuerConditions.READY)
        .filter(c -> c.getMessage() != null
            && c.getMessage().contains("macp-issuer-tokenreview is missing")).isPresent());
    assertThat(client.rbac().clusterRoleBindings().list().getItems())
        .extracting(c -> c.getMetadata().getName()).doesNotContain(IssuerNames.TOKENREVIEW_BINDING);

    IssuerTestCluster.installTokenReviewBinding(client, true);
    nudge("iota");
    await().atMost(TIMEOUT).until(() -> granted("iota"));
  }

  /**
   * Issue 10, migration: an issuer whose status names its per-issuer binding of 0.1.0 gets one
   * Warning naming it (the operator may no longer delete it), and status stops naming it.
   */
  @Test
  void aLegacyPerIssuerBindingIsNamedOnceForAPersonToDelete() {
    String legacy = "macp-issuer-tokenreview:" + NS + ":kappa";
    cluster.create("kappa", spec(TestMint.serviceAccount("team-a/orchestrator")));
    cluster.awaitStatus("kappa", s -> s.getTokenReviewBinding() != null);
    forgeStatusBinding("kappa", legacy);
    cluster.startOperator();
    nudge("kappa");

    cluster.awaitStatus("kappa",
        s -> IssuerNames.TOKENREVIEW_BINDING.equals(s.getTokenReviewBinding()));
    await().atMost(TIMEOUT).until(() ->
        !cluster.events("kappa", MacpIssuerReconciler.LEGACY_BINDING_EVENT).isEmpty());
    nudge("kappa");
    nudge("kappa");
    await().pollDelay(Duration.ofSeconds(1)).atMost(TIMEOUT).until(() -> true);
    assertThat(cluster.events("kappa", MacpIssuerReconciler.LEGACY_BINDING_EVENT))
        .singleElement().satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).contains("kubectl delete clusterrolebinding " + legacy);
        });
    assertThat(granted("kappa")).isTrue();
  }

  @Test
  void authenticationNoneIsReportedOnceAsAWarning() throws Exception {
    cluster.create("delta", IssuerTestCluster.slowSpec());
    var status = cluster.awaitStatus("delta",
        s -> conditionOf(s, IssuerConditions.MINT_SECURED).isPresent());
    var secured = conditionOf(status, IssuerConditions.MINT_SECURED).orElseThrow();
    assertThat(secured.getStatus()).isEqualTo("False");
    assertThat(secured.getReason()).isEqualTo("AuthenticationNone");
    assertThat(secured.getMessage()).contains("anyone who can reach the issuer port can mint");
    await().atMost(TIMEOUT).until(() -> cluster.deployment("delta") != null);
    cluster.markDeploymentAvailable("delta");
    // None is dangerous but valid: the issuer still becomes Ready
    cluster.awaitStatus("delta", s -> isTrue(s, IssuerConditions.READY));
    assertThat(cluster.events("delta", MacpIssuerReconciler.MINT_UNAUTHENTICATED_EVENT))
        .singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    assertThat(policyConfigMap("delta")).isNull();
  }

  @Test
  void aMissingSecretIsReportedAndNothingRunningIsTouched() {
    cluster.create("eps", IssuerTestCluster.slowSpec());
    await().atMost(TIMEOUT).until(() -> cluster.deployment("eps") != null);
    cluster.markDeploymentAvailable("eps");
    cluster.awaitStatus("eps", s -> isTrue(s, IssuerConditions.READY));
    Deployment running = cluster.deployment("eps");

    cluster.edit("eps", i -> i.getSpec().getMint().setTls(TestMint.tls("eps-tls")));
    var status = cluster.awaitStatus("eps", s -> conditionOf(s, IssuerConditions.MINT_SECURED)
        .filter(c -> MintState.REASON_SECRET_UNUSABLE.equals(c.getReason())).isPresent());
    assertThat(conditionOf(status, IssuerConditions.MINT_SECURED).orElseThrow().getMessage())
        .contains("Secret macp/eps-tls (spec.mint.tls.secretName) does not exist",
            "cert-manager", "were not changed");
    assertThat(conditionOf(status, IssuerConditions.READY).orElseThrow().getReason())
        .isEqualTo(MintState.REASON_SECRET_UNUSABLE);
    assertThat(cluster.events("eps", MacpIssuerReconciler.MINT_SECRET_UNUSABLE_EVENT)).hasSize(1);
    assertThat(cluster.deployment("eps").getMetadata().getResourceVersion())
        .isEqualTo(running.getMetadata().getResourceVersion());

    // a Secret without the certificate is still refused, by name of the missing key
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
        .withName("eps-tls").endMetadata().withType("kubernetes.io/tls")
        .addToData("tls.key", "a2V5").build()).create();
    nudge("eps");
    cluster.awaitStatus("eps", s -> conditionOf(s, IssuerConditions.MINT_SECURED)
        .filter(c -> c.getMessage().contains("has no tls.crt")).isPresent());
    assertThat(cluster.deployment("eps").getMetadata().getResourceVersion())
        .isEqualTo(running.getMetadata().getResourceVersion());

    Secret fixed = client.secrets().inNamespace(NS).withName("eps-tls").get();
    fixed.getData().put("tls.crt", "Y2VydA==");
    client.secrets().inNamespace(NS).resource(fixed).update();
    nudge("eps");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.deployment("eps").getSpec()
        .getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getScheme())
        .isEqualTo("HTTPS"));
    cluster.awaitStatus("eps", s -> !MintState.REASON_SECRET_UNUSABLE.equals(
        conditionOf(s, IssuerConditions.MINT_SECURED).orElseThrow().getReason()));
  }
}
