package io.macp.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.rbac.OperatorPermissions;
import io.macp.operator.rbac.OperatorPermissions.Grant;
import io.macp.operator.rbac.OperatorPermissions.Scope;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.resources.TokenReviewBindingBuilder;
import io.macp.operator.scope.ManagedNamespaces;
import io.macp.operator.scope.OperatorPods;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * deploy/ (cluster-wide) and deploy-namespaced/ (namespace-scoped) rendered with the real
 * {@code kubectl kustomize}, as {@code kubectl apply -k} would install them: the operator's
 * ServiceAccount holds exactly the grants of {@link OperatorPermissions} in each install, nothing
 * more and nothing less, and the operator pod is locked down.
 */
class InstallManifestsTest {
  private static final String NAMESPACE = "macp-system";
  private static final String ACCOUNT = "macp-issuer-operator";
  private static final String CLUSTER = "(cluster)";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** The two installs, each rendered once. */
  enum Install {
    CLUSTER_WIDE("deploy"),
    NAMESPACED("deploy-namespaced");

    final String dir;
    private List<JsonNode> docs;

    Install(String dir) {
      this.dir = dir;
    }

    synchronized List<JsonNode> docs() {
      if (docs == null) {
        docs = Kustomize.render(ProjectFiles.root().resolve(dir));
      }
      return docs;
    }
  }

  private static final List<JsonNode> DOCS = Install.CLUSTER_WIDE.docs();

  private static <T extends HasMetadata> List<T> all(Class<T> type, String kind) {
    return all(DOCS, type, kind);
  }

  private static <T extends HasMetadata> List<T> all(List<JsonNode> docs, Class<T> type,
      String kind) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .map(d -> SERIALIZATION.convertValue(d, type))
        .toList();
  }

  private static <T extends HasMetadata> T one(Class<T> type, String kind) {
    List<T> found = all(type, kind);
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  /** The operator Deployment's WATCH_NAMESPACES, as the operator parses it. */
  private static ManagedNamespaces watched(Install install) {
    Deployment d = all(install.docs(), Deployment.class, "Deployment").get(0);
    Optional<String> value = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
        .stream().filter(e -> e.getName().equals(ManagedNamespaces.ENV))
        .map(EnvVar::getValue).findFirst();
    return ManagedNamespaces.parse(value.orElse(null));
  }

  /**
   * What the table says the operator's account must hold in one install, flattened to
   * {@code where group/resource[name] verb}: {@code where} is {@value #CLUSTER} for a
   * ClusterRoleBinding, else the namespace of a RoleBinding; {@code name} is {@code *} for a
   * rule without resourceNames.
   */
  private static Set<String> expected(Install install) {
    ManagedNamespaces managed = watched(install);
    Set<String> out = new TreeSet<>();
    for (Grant g : OperatorPermissions.GRANTS) {
      List<String> where = switch (g.scope()) {
        case CLUSTER -> List.of(CLUSTER);
        case OPERATOR_NAMESPACE -> List.of(NAMESPACE);
        case MANAGED_NAMESPACES -> managed.all()
            ? List.of(CLUSTER) : List.copyOf(managed.namespaces());
      };
      for (String w : where) {
        for (String verb : g.verbs()) {
          if (g.resourceNames().isEmpty()) {
            out.add(tuple(w, g.apiGroup(), g.resource(), "*", verb));
          }
          for (String name : g.resourceNames()) {
            out.add(tuple(w, g.apiGroup(), g.resource(), name, verb));
          }
        }
      }
    }
    return out;
  }

  /** What the rendered manifests give the operator's account, through every binding naming it. */
  private static Set<String> granted(Install install) {
    List<JsonNode> docs = install.docs();
    Set<String> out = new TreeSet<>();
    for (ClusterRoleBinding b : all(docs, ClusterRoleBinding.class, "ClusterRoleBinding")) {
      if (namesTheOperator(b.getSubjects())) {
        addRules(out, CLUSTER, rulesOf(docs, b.getRoleRef(), null));
      }
    }
    for (RoleBinding b : all(docs, RoleBinding.class, "RoleBinding")) {
      if (namesTheOperator(b.getSubjects())) {
        String ns = b.getMetadata().getNamespace();
        addRules(out, ns, rulesOf(docs, b.getRoleRef(), ns));
      }
    }
    return out;
  }

  private static boolean namesTheOperator(List<Subject> subjects) {
    return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && ACCOUNT.equals(s.getName()) && NAMESPACE.equals(s.getNamespace()));
  }

  private static List<PolicyRule> rulesOf(List<JsonNode> docs, RoleRef ref, String namespace) {
    List<PolicyRule> rules = new ArrayList<>();
    if ("ClusterRole".equals(ref.getKind())) {
      List<ClusterRole> roles = all(docs, ClusterRole.class, "ClusterRole").stream()
          .filter(r -> r.getMetadata().getName().equals(ref.getName())).toList();
      assertThat(roles).as("bound ClusterRole %s is installed", ref.getName()).hasSize(1);
      assertThat(roles.get(0).getAggregationRule()).as("aggregated roles grow by themselves")
          .isNull();
      rules.addAll(roles.get(0).getRules());
    } else {
      List<Role> roles = all(docs, Role.class, "Role").stream()
          .filter(r -> r.getMetadata().getName().equals(ref.getName())
              && r.getMetadata().getNamespace().equals(namespace)).toList();
      assertThat(roles).as("bound Role %s/%s is installed", namespace, ref.getName()).hasSize(1);
      rules.addAll(roles.get(0).getRules());
    }
    return rules;
  }

  private static void addRules(Set<String> out, String where, List<PolicyRule> rules) {
    for (PolicyRule rule : rules) {
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
      List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
          ? List.of("*") : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String name : names) {
            for (String verb : rule.getVerbs()) {
              out.add(tuple(where, group, resource, name, verb));
            }
          }
        }
      }
    }
  }

  private static String tuple(String where, String group, String resource, String name,
      String verb) {
    return where + " " + group + "/" + resource + "[" + name + "] " + verb;
  }

  /**
   * Issue 10: every (where, apiGroup, resource, name, verb) the installed RBAC gives the operator
   * is in the code's table, and every entry of the table is installed: nothing extra, nothing
   * missing, in both installs.
   */
  @ParameterizedTest
  @EnumSource(Install.class)
  void theOperatorHoldsExactlyTheGrantsOfTheTable(Install install) {
    assertThat(granted(install)).isEqualTo(expected(install));
  }

  @Test
  void theClusterWideInstallWatchesEveryNamespace() {
    assertThat(watched(Install.CLUSTER_WIDE).all()).isTrue();
  }

  /**
   * Issue 10: the namespaced install holds no cluster-wide right on namespaced objects: its only
   * cluster-wide grants are get/update of the TokenReview binding and bind of its role, by name.
   */
  @Test
  void theNamespacedInstallHasRolesOnlyInItsWatchedNamespaces() {
    ManagedNamespaces managed = watched(Install.NAMESPACED);
    assertThat(managed.all()).isFalse();
    Set<String> clusterWide = new TreeSet<>();
    granted(Install.NAMESPACED).stream().filter(t -> t.startsWith(CLUSTER + " "))
        .forEach(clusterWide::add);
    assertThat(clusterWide).containsExactlyInAnyOrder(
        CLUSTER + " rbac.authorization.k8s.io/clusterrolebindings[macp-issuer-tokenreview] get",
        CLUSTER + " rbac.authorization.k8s.io/clusterrolebindings[macp-issuer-tokenreview] update",
        CLUSTER + " rbac.authorization.k8s.io/clusterroles[macp-issuer-tokenreview] bind");
    Set<String> roleNamespaces = new TreeSet<>();
    all(Install.NAMESPACED.docs(), Role.class, "Role").forEach(
        r -> roleNamespaces.add(r.getMetadata().getNamespace()));
    Set<String> wanted = new TreeSet<>(managed.namespaces());
    wanted.add(NAMESPACE); // the Lease
    assertThat(roleNamespaces).isEqualTo(wanted);
  }

  /** No binding in either install may be deleted, created, listed or watched by the operator. */
  @ParameterizedTest
  @EnumSource(Install.class)
  void noWildcardNoEscalationNoBindingByAnyOtherName(Install install) {
    for (String t : granted(install)) {
      assertThat(t).as("no wildcard resource or group").doesNotContain("/*[", " */");
      assertThat(t).doesNotEndWith(" *").doesNotEndWith(" escalate").doesNotEndWith(" impersonate");
      assertThat(t).doesNotContain("tokenreviews", "pods/");
      if (t.contains("/pods[")) {
        // the activation gate finds the issuer replicas' IPs: read only, never create or exec
        assertThat(t).as("pods are only read").matches(".* (get|list)$");
      }
      if (t.contains("rbac.authorization.k8s.io/")) {
        assertThat(t).contains("[" + IssuerNames.TOKENREVIEW_BINDING + "]");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Install.class)
  void everyYamlFileIsPartOfTheKustomization(Install install) throws IOException {
    Path dir = ProjectFiles.root().resolve(install.dir);
    JsonNode kustomization = ProjectFiles.yamlDocuments(dir.resolve("kustomization.yaml")).get(0);
    Set<String> listed = new TreeSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    kustomization.path("patches").forEach(p -> listed.add(p.path("path").asText()));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())
              .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml"))
              .filter(f -> !f.equals("kustomization.yaml")))
          .allSatisfy(f -> assertThat(listed).contains(f));
    }
  }

  @Test
  void installsEverythingTheOperatorNeeds() {
    List<String> kinds = DOCS.stream().map(d -> d.path("kind").asText()).sorted().toList();
    assertThat(kinds).containsExactlyInAnyOrder(
        "CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole", "ClusterRole",
        "ClusterRole", "ClusterRoleBinding", "ClusterRoleBinding", "ClusterRoleBinding", "Role",
        "RoleBinding", "Deployment", "Service", "PodDisruptionBudget", "PriorityClass");
  }

  @ParameterizedTest
  @EnumSource(Install.class)
  void theCrdIsTheCommittedOne(Install install) {
    JsonNode crd = install.docs().stream()
        .filter(d -> d.path("kind").asText().equals("CustomResourceDefinition"))
        .findFirst().orElseThrow();
    // kustomize writes 1.0 as 1: numbers compare by value
    assertThat(crd.equals((a, b) -> a.isNumber() && b.isNumber()
            ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1,
        ProjectFiles.crd()))
        .as("the rendered CRD is crds/" + ProjectFiles.CRD_FILE_NAME).isTrue();
  }

  @Test
  void namespacedObjectsLiveInTheOperatorNamespace() {
    Set<String> clusterScoped =
        Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
            "PriorityClass");
    for (JsonNode doc : DOCS) {
      String kind = doc.path("kind").asText();
      String namespace = doc.path("metadata").path("namespace").asText("");
      assertThat(namespace).as(kind).isEqualTo(clusterScoped.contains(kind) ? "" : NAMESPACE);
    }
    assertThat(one(io.fabric8.kubernetes.api.model.Namespace.class, "Namespace")
            .getMetadata().getName())
        .isEqualTo(NAMESPACE);
  }

  /**
   * What the operator adds issuer ServiceAccounts to: TokenReviews, nothing else; installed with
   * no subjects (so re-applying deploy/ keeps the operator's), and no other binding of that role.
   */
  @ParameterizedTest
  @EnumSource(Install.class)
  void issuerPodsMayOnlyReviewTokens(Install install) {
    List<ClusterRole> roles = all(install.docs(), ClusterRole.class, "ClusterRole").stream()
        .filter(r -> r.getMetadata().getName().equals(IssuerNames.TOKENREVIEW_CLUSTER_ROLE))
        .toList();
    assertThat(roles).hasSize(1);
    Set<String> rules = new TreeSet<>();
    addRules(rules, CLUSTER, roles.get(0).getRules());
    assertThat(rules).containsExactly(
        CLUSTER + " authentication.k8s.io/tokenreviews[*] create");
    assertThat(roles.get(0).getAggregationRule()).isNull();
    List<ClusterRoleBinding> bindings =
        all(install.docs(), ClusterRoleBinding.class, "ClusterRoleBinding").stream()
            .filter(b -> b.getRoleRef().getName().equals(IssuerNames.TOKENREVIEW_CLUSTER_ROLE))
            .toList();
    assertThat(bindings).singleElement().satisfies(b -> {
      assertThat(b.getMetadata().getName()).isEqualTo(IssuerNames.TOKENREVIEW_BINDING);
      assertThat(b.getSubjects()).isNullOrEmpty();
      // never our managed-by label: the old per-issuer bindings are selected by it for deletion
      assertThat(b.getMetadata().getLabels()).doesNotContainKey(IssuerNames.MANAGED_BY_LABEL);
      // what clusters without deploy/ (the embedded one) install instead
      ClusterRoleBinding code = TokenReviewBindingBuilder.installed();
      assertThat(b.getMetadata().getLabels()).isEqualTo(code.getMetadata().getLabels());
      assertThat(b.getRoleRef()).isEqualTo(code.getRoleRef());
    });
  }

  @ParameterizedTest
  @EnumSource(Install.class)
  void everyBindingNamesTheOperatorsAccountOnly(Install install) {
    ServiceAccount account = all(install.docs(), ServiceAccount.class, "ServiceAccount").get(0);
    assertThat(account.getMetadata().getName()).isEqualTo(ACCOUNT);
    assertThat(account.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    for (ClusterRoleBinding b : all(install.docs(), ClusterRoleBinding.class,
        "ClusterRoleBinding")) {
      if (!b.getMetadata().getName().equals(IssuerNames.TOKENREVIEW_BINDING)) {
        assertOnlyTheOperator(b.getSubjects());
      }
    }
    for (RoleBinding b : all(install.docs(), RoleBinding.class, "RoleBinding")) {
      assertOnlyTheOperator(b.getSubjects());
    }
  }

  private static void assertOnlyTheOperator(List<Subject> subjects) {
    assertThat(subjects).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(ACCOUNT);
      assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
    });
  }

  @Test
  void operatorPodIsLockedDown() {
    Deployment deployment = one(Deployment.class, "Deployment");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(ACCOUNT);
    assertThat(pod.getAutomountServiceAccountToken()).as("the operator calls the API").isTrue();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getContainers()).hasSize(1);
    Container container = pod.getContainers().get(0);
    SecurityContext security = container.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getImage()).isEqualTo("ghcr.io/macp/macp-issuer-operator:0.1.0");
  }

  @Test
  void twoReplicasElectALeaderAndAreProbed() {
    Deployment deployment = one(Deployment.class, "Deployment");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    // cluster mode only: an operator pod must never start an in-process API server
    assertThat(container.getArgs()).containsSubsequence("--health-port", "8080").contains("--cluster")
        .doesNotContain("--embedded");
    assertThat(container.getEnv()).extracting(EnvVar::getName)
        .contains("POD_NAME", "POD_NAMESPACE");
    assertThat(container.getPorts()).singleElement().satisfies((ContainerPort p) -> {
      assertThat(p.getName()).isEqualTo("http-health");
      assertThat(p.getContainerPort()).isEqualTo(8080);
    });
    assertProbe(container.getLivenessProbe(), "/healthz");
    assertProbe(container.getReadinessProbe(), "/readyz");
    assertProbe(container.getStartupProbe(), "/healthz");
  }

  /**
   * The issuers' NetworkPolicies admit the operator's pods to the mint port while the activation
   * gate observes ({@link OperatorPods}): by these labels, in the namespace POD_NAMESPACE names.
   */
  @ParameterizedTest
  @EnumSource(Install.class)
  void theOperatorPodsCarryTheLabelsAndNamespaceTheIssuersNetworkPoliciesAdmit(Install install) {
    Deployment deployment = all(install.docs(), Deployment.class, "Deployment").get(0);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(OperatorPods.POD_LABELS);
    EnvVar namespace = deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
        .getEnv().stream().filter(e -> e.getName().equals(OperatorPods.NAMESPACE_ENV))
        .findFirst().orElseThrow();
    assertThat(namespace.getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(OperatorPods.DEFAULT_NAMESPACE);
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).as(path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http-health");
  }

  @Test
  void metricsServiceSelectsTheOperatorPods() {
    Service service = one(Service.class, "Service");
    Deployment deployment = one(Deployment.class, "Deployment");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("http-health");
      assertThat(p.getPort()).isEqualTo(8080);
    });
    assertThat(service.getMetadata().getAnnotations())
        .containsEntry("prometheus.io/path", "/metrics");
  }

}
