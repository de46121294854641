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
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.resources.IssuerNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/ as kubectl apply -k deploy/ would install it, read without a cluster: every file is
 * part of the kustomization, RBAC grants exactly what the operator uses, and the operator pod is
 * locked down.
 */
class InstallManifestsTest {
  private static final String NAMESPACE = "macp-system";
  private static final String ACCOUNT = "macp-issuer-operator";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final List<JsonNode> DOCS = kustomizedDocuments(ProjectFiles.deploy());

  /** What the operator may do, group/resource to verbs; anything else is a privilege too many. */
  private static final Set<String> ALL = Set.of(
      "get", "list", "watch", "create", "update", "patch", "delete");
  private static final Map<String, Set<String>> CLUSTER_GRANTS = Map.ofEntries(
      Map.entry("macp.io/macpissuers", Set.of("get", "list", "watch", "patch", "update")),
      Map.entry("macp.io/macpissuers/status", Set.of("get", "patch", "update")),
      Map.entry("macp.io/macpissuers/finalizers", Set.of("update")),
      // the key Secret is created and compare-and-swap updated, never patched
      Map.entry("/secrets", Set.of("get", "list", "watch", "create", "update", "delete")),
      Map.entry("/configmaps", ALL),
      Map.entry("/services", ALL),
      // the activation gate reads the issuer pods' IPs (PodVerifierCoverageSource): read only
      Map.entry("/pods", Set.of("get", "list")),
      Map.entry("apps/deployments", ALL),
      Map.entry("policy/poddisruptionbudgets", ALL),
      Map.entry("networking.k8s.io/networkpolicies", ALL),
      Map.entry("/serviceaccounts", ALL),
      // one binding per ServiceAccount-mode issuer, by name: never listed or watched
      Map.entry("rbac.authorization.k8s.io/clusterrolebindings", Set.of("get", "create", "delete")),
      Map.entry("rbac.authorization.k8s.io/clusterroles[" + IssuerNames.TOKENREVIEW_CLUSTER_ROLE
          + "]", Set.of("bind")),
      // core/v1 only, each Event a new object (IssuerEventRecorder): no events.k8s.io, no patch
      Map.entry("/events", Set.of("create")));
  private static final Map<String, Set<String>> LEASE_GRANTS =
      Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update", "patch"));

  /** The documents of a kustomization and of the kustomizations it includes. */
  static List<JsonNode> kustomizedDocuments(Path dir) {
    List<JsonNode> docs = new ArrayList<>();
    JsonNode kustomization = ProjectFiles.yamlDocuments(dir.resolve("kustomization.yaml")).get(0);
    for (JsonNode resource : kustomization.path("resources")) {
      Path path = dir.resolve(resource.asText()).normalize();
      if (Files.isDirectory(path)) {
        docs.addAll(kustomizedDocuments(path));
      } else {
        assertThat(path).as("kustomization resource").isRegularFile();
        docs.addAll(ProjectFiles.yamlDocuments(path));
      }
    }
    return docs;
  }

  private static <T extends HasMetadata> List<T> all(Class<T> type, String kind) {
    return DOCS.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .map(d -> SERIALIZATION.convertValue(d, type))
        .toList();
  }

  private static ClusterRole clusterRole(String name) {
    List<ClusterRole> found = all(ClusterRole.class, "ClusterRole").stream()
        .filter(r -> r.getMetadata().getName().equals(name)).toList();
    assertThat(found).as("ClusterRole " + name).hasSize(1);
    return found.get(0);
  }

  private static <T extends HasMetadata> T one(Class<T> type, String kind) {
    List<T> found = all(type, kind);
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  @Test
  void everyYamlFileInDeployIsPartOfTheKustomization() throws IOException {
    JsonNode kustomization =
        ProjectFiles.yamlDocuments(ProjectFiles.deploy().resolve("kustomization.yaml")).get(0);
    Set<String> listed = new TreeSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    try (Stream<Path> files = Files.list(ProjectFiles.deploy())) {
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
        "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service");
  }

  @Test
  void theCrdIsTheCommittedOne() {
    JsonNode crd = DOCS.stream()
        .filter(d -> d.path("kind").asText().equals("CustomResourceDefinition"))
        .findFirst().orElseThrow();
    assertThat(crd).isEqualTo(ProjectFiles.crd());
  }

  @Test
  void namespacedObjectsLiveInTheOperatorNamespace() {
    Set<String> clusterScoped =
        Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding");
    for (JsonNode doc : DOCS) {
      String kind = doc.path("kind").asText();
      String namespace = doc.path("metadata").path("namespace").asText("");
      assertThat(namespace).as(kind).isEqualTo(clusterScoped.contains(kind) ? "" : NAMESPACE);
    }
    assertThat(one(io.fabric8.kubernetes.api.model.Namespace.class, "Namespace")
            .getMetadata().getName())
        .isEqualTo(NAMESPACE);
  }

  @Test
  void clusterRoleGrantsExactlyWhatTheOperatorUses() {
    assertThat(grants(clusterRole(ACCOUNT).getRules()))
        .isEqualTo(CLUSTER_GRANTS);
  }

  /** What the operator binds to each ServiceAccount-mode issuer: TokenReviews, nothing else. */
  @Test
  void issuerPodsMayOnlyReviewTokens() {
    ClusterRole tokenReview = clusterRole(IssuerNames.TOKENREVIEW_CLUSTER_ROLE);
    assertThat(grants(tokenReview.getRules()))
        .isEqualTo(Map.of("authentication.k8s.io/tokenreviews", Set.of("create")));
    assertThat(tokenReview.getAggregationRule()).isNull();
    // bound per issuer by the operator, never statically to anyone
    assertThat(all(ClusterRoleBinding.class, "ClusterRoleBinding"))
        .noneSatisfy(b -> assertThat(b.getRoleRef().getName())
            .isEqualTo(IssuerNames.TOKENREVIEW_CLUSTER_ROLE));
  }

  @Test
  void leaderElectionRoleGrantsOnlyLeases() {
    Role role = one(Role.class, "Role");
    assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(grants(role.getRules())).isEqualTo(LEASE_GRANTS);
  }

  @Test
  void nothingIsAWildcardOrAnEscalation() {
    List<PolicyRule> rules = new ArrayList<>(clusterRole(ACCOUNT).getRules());
    rules.addAll(one(Role.class, "Role").getRules());
    for (PolicyRule rule : rules) {
      assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "impersonate");
      assertThat(rule.getResources()).doesNotContain("*", "tokenreviews", "pods/exec");
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
      if (rule.getVerbs().contains("bind")) {
        // bind exactly one role, by name: binding anything else needs its permissions
        assertThat(rule.getVerbs()).containsExactly("bind");
        assertThat(rule.getResources()).containsExactly("clusterroles");
        assertThat(rule.getResourceNames()).containsExactly(IssuerNames.TOKENREVIEW_CLUSTER_ROLE);
      } else {
        assertThat(rule.getResourceNames()).isNullOrEmpty();
      }
    }
  }

  @Test
  void bindingsGiveTheRolesToTheOperatorsAccountOnly() {
    ServiceAccount account = one(ServiceAccount.class, "ServiceAccount");
    assertThat(account.getMetadata().getName()).isEqualTo(ACCOUNT);
    assertThat(account.getMetadata().getNamespace()).isEqualTo(NAMESPACE);

    ClusterRoleBinding clusterBinding = one(ClusterRoleBinding.class, "ClusterRoleBinding");
    assertThat(clusterBinding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(clusterBinding.getRoleRef().getName()).isEqualTo(ACCOUNT);
    assertOnlyTheOperator(clusterBinding.getSubjects());

    RoleBinding binding = one(RoleBinding.class, "RoleBinding");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName())
        .isEqualTo(one(Role.class, "Role").getMetadata().getName());
    assertOnlyTheOperator(binding.getSubjects());
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

  /**
   * Rules flattened to group/resource[names] -> verbs, so two spellings of one grant compare
   * equal and a grant limited to named objects never reads as a grant on all of them.
   */
  private static Map<String, Set<String>> grants(List<PolicyRule> rules) {
    Map<String, Set<String>> grants = new TreeMap<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          String names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? "" : rule.getResourceNames().toString();
          grants.computeIfAbsent(group + "/" + resource + names, k -> new TreeSet<>())
              .addAll(rule.getVerbs());
        }
      }
    }
    return grants;
  }
}
