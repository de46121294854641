package io.macp.operator.rbac;

import io.macp.operator.resources.IssuerNames;
import java.util.List;
import java.util.Set;

/**
 * Every Kubernetes API permission the operator uses, in one place: what deploy/ (cluster-wide)
 * and deploy-namespaced/ (namespace-scoped, {@code WATCH_NAMESPACES}) must grant its
 * ServiceAccount, and nothing more. The install manifests are tested against this table
 * (InstallManifestsTest renders both with kubectl kustomize), and the operator's recorded API
 * calls against the mock API server are tested against it too, so a grant that is added, widened
 * or no longer used fails a test. docs/install.md shows it.
 */
public final class OperatorPermissions {
  /** Where a grant applies. */
  public enum Scope {
    /**
     * Every namespace whose MacpIssuers the operator manages: a ClusterRole bound cluster-wide
     * (deploy/), or a Role and RoleBinding in each namespace of WATCH_NAMESPACES
     * (deploy-namespaced/).
     */
    MANAGED_NAMESPACES,
    /** Cluster-scoped objects, by name only; the same in both installs. */
    CLUSTER,
    /** The operator's own namespace (the leader-election Lease); the same in both installs. */
    OPERATOR_NAMESPACE
  }

  /**
   * One rule: these verbs on one resource of one API group ({@code ""} is core), limited to the
   * named objects when {@code resourceNames} is not empty.
   *
   * @param why what the operator does with it, for docs/install.md
   */
  public record Grant(
      Scope scope,
      String apiGroup,
      String resource,
      Set<String> verbs,
      Set<String> resourceNames,
      String why) {
    public Grant {
      verbs = Set.copyOf(verbs);
      resourceNames = Set.copyOf(resourceNames);
    }
  }

  /** The leader-election Lease, in the operator's namespace. */
  public static final String LEASE = "macp-issuer-operator";

  private static final Set<String> READ = Set.of("get", "list", "watch");
  /**
   * Dependents are written without server-side apply: created, replaced with update, deleted;
   * never patched (OperatorApiCallsTest records what the operator sends).
   */
  private static final Set<String> WRITE =
      Set.of("get", "list", "watch", "create", "update", "delete");

  /** The whole table. */
  public static final List<Grant> GRANTS = List.of(
      managed("macp.io", "macpissuers", Set.of("get", "list", "watch", "patch"),
          "read issuers and their request annotations; the finalizer is added and removed by"
              + " JSON patch"),
      managed("macp.io", "macpissuers/status", Set.of("get", "patch", "update"),
          "status (update), the failed-reconcile status (patch)"),
      managed("macp.io", "macpissuers/finalizers", Set.of("update"),
          "blockOwnerDeletion owner references on the objects it creates"),
      managed("", "secrets", union(READ, Set.of("create", "update", "delete")),
          "the key Secret <name>-keys: created, then compare-and-swap updated, never patched;"
              + " get of the mint Secrets named in spec.mint (of the TLS Secret, the activation"
              + " gate uses ca.crt only)"),
      managed("", "configmaps", WRITE,
          "JWKS and mint policy ConfigMaps; get of the ConfigMaps spec.verifiers workloads take"
              + " env from"),
      managed("", "services", WRITE, "the issuer Service"),
      managed("", "pods", Set.of("get", "list"),
          "spec.rotation.activationGate: the issuer pods' IPs, to read each replica's GET /verifiers"),
      managed("apps", "deployments", WRITE,
          "the issuer pods; list by spec.verifiers.selector (declared verifiers)"),
      managed("apps", "statefulsets", Set.of("list"),
          "spec.verifiers only: the runtime workloads its selector matches, to read their"
              + " MACP_AUTH_* env"),
      managed("apps", "daemonsets", Set.of("list"),
          "spec.verifiers only: the runtime workloads its selector matches, to read their"
              + " MACP_AUTH_* env"),
      managed("policy", "poddisruptionbudgets", WRITE, "when replicas > 1"),
      managed("networking.k8s.io", "networkpolicies", WRITE, "from spec.mint.allowedFrom"),
      managed("", "serviceaccounts", WRITE, "<name>-issuer, ServiceAccount mode only"),
      managed("", "events", Set.of("create"), "KeyGenerated, KeyActivated, ... (core/v1)"),
      new Grant(Scope.CLUSTER, "rbac.authorization.k8s.io", "clusterrolebindings",
          Set.of("get", "update"), Set.of(IssuerNames.TOKENREVIEW_BINDING),
          "the subjects of the installed TokenReview binding; never create, delete, list"),
      new Grant(Scope.CLUSTER, "rbac.authorization.k8s.io", "clusterroles", Set.of("bind"),
          Set.of(IssuerNames.TOKENREVIEW_CLUSTER_ROLE),
          "updating a binding needs bind on its role: this role only"),
      // RBAC cannot limit create by name; everything else on the Lease is by name
      new Grant(Scope.OPERATOR_NAMESPACE, "coordination.k8s.io", "leases", Set.of("create"),
          Set.of(), "leader election: the Lease is created once"),
      new Grant(Scope.OPERATOR_NAMESPACE, "coordination.k8s.io", "leases",
          Set.of("get", "update", "patch"), Set.of(LEASE),
          "leader election: read and renewed (fabric8 renews with PATCH)"));

  private OperatorPermissions() {}

  private static Grant managed(String group, String resource, Set<String> verbs, String why) {
    return new Grant(Scope.MANAGED_NAMESPACES, group, resource, verbs, Set.of(), why);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Whether the table allows this verb on this resource (and, if given, object name). */
  public static boolean allows(Scope scope, String apiGroup, String resource, String verb,
      String name) {
    return GRANTS.stream().anyMatch(g -> g.scope() == scope
        && g.apiGroup().equals(apiGroup)
        && g.resource().equals(resource)
        && g.verbs().contains(verb)
        && (g.resourceNames().isEmpty() || (name != null && g.resourceNames().contains(name))));
  }
}
