package io.macp.devcluster.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Legacy (non-aggregated) discovery: {@code /api}, {@code /api/v1}, {@code /apis} and
 * {@code /apis/GROUP/VERSION}. Lists the built-in kinds the project creates or reads (the mock
 * serves any kind; these are the ones kubectl should be able to name) and every installed CRD.
 * kubectl asks for aggregated discovery first and falls back to these when the answer is plain
 * JSON.
 */
public final class ApiDiscovery {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** Built-in kinds the operator, the issuers or an admin's kubectl touch. */
  static final List<ApiResource> BUILT_IN = List.of(
      builtIn("", "v1", "namespaces", "Namespace", false, "ns"),
      builtIn("", "v1", "configmaps", "ConfigMap", true, "cm"),
      builtIn("", "v1", "secrets", "Secret", true),
      builtIn("", "v1", "services", "Service", true, "svc"),
      builtIn("", "v1", "serviceaccounts", "ServiceAccount", true, "sa"),
      builtIn("", "v1", "pods", "Pod", true, "po"),
      builtIn("", "v1", "events", "Event", true, "ev"),
      builtIn("", "v1", "endpoints", "Endpoints", true, "ep"),
      builtIn("apps", "v1", "deployments", "Deployment", true, "deploy"),
      builtIn("apps", "v1", "replicasets", "ReplicaSet", true, "rs"),
      builtIn("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, "pdb"),
      builtIn("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, "netpol"),
      builtIn("coordination.k8s.io", "v1", "leases", "Lease", true),
      builtIn("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
      builtIn("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
      builtIn("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
      builtIn("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
      builtIn("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
          false, "crd", "crds"));

  private final List<ApiResource> resources;

  private ApiDiscovery(List<ApiResource> resources) {
    this.resources = resources;
  }

  /** The built-in kinds plus every served version of the given CRDs. */
  public static ApiDiscovery of(List<CustomResourceDefinition> crds) {
    List<ApiResource> all = new ArrayList<>(BUILT_IN);
    for (CustomResourceDefinition crd : crds) {
      var spec = crd.getSpec();
      for (CustomResourceDefinitionVersion v : spec.getVersions()) {
        if (!Boolean.TRUE.equals(v.getServed())) {
          continue;
        }
        List<String> subs = new ArrayList<>();
        if (v.getSubresources() != null && v.getSubresources().getStatus() != null) {
          subs.add("status");
        }
        if (v.getSubresources() != null && v.getSubresources().getScale() != null) {
          subs.add("scale");
        }
        var names = spec.getNames();
        all.add(new ApiResource(spec.getGroup(), v.getName(), names.getPlural(),
            names.getSingular() == null ? names.getKind().toLowerCase() : names.getSingular(),
            names.getKind(), "Namespaced".equals(spec.getScope()),
            names.getShortNames() == null ? List.of() : List.copyOf(names.getShortNames()),
            List.copyOf(subs)));
      }
    }
    return new ApiDiscovery(List.copyOf(all));
  }

  private static ApiResource builtIn(
      String group, String version, String plural, String kind, boolean namespaced, String... shortNames) {
    return new ApiResource(group, version, plural, kind.toLowerCase(), kind, namespaced,
        List.of(shortNames), List.of("status"));
  }

  /** The OpenAPI v3 document path of a resource's group-version: {@code api/v1}, {@code apis/G/V}. */
  static String documentPath(ApiResource r) {
    return r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.group() + "/" + r.version();
  }

  public List<ApiResource> resources() {
    return resources;
  }

  public Optional<ApiResource> find(String group, String version, String plural) {
    return resources.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  /** {@code GET /api}: APIVersions. */
  public ObjectNode apiVersions() {
    ObjectNode n = JSON.objectNode();
    n.put("kind", "APIVersions");
    n.putArray("versions").add("v1");
    n.putArray("serverAddressByClientCIDRs");
    return n;
  }

  /** {@code GET /apis}: APIGroupList of every non-core group. */
  public ObjectNode groupList() {
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    resources.stream().filter(r -> !r.group().isEmpty())
        .forEach(r -> groups.computeIfAbsent(r.group(), g -> new LinkedHashSet<>()).add(r.version()));
    ObjectNode n = JSON.objectNode();
    n.put("kind", "APIGroupList");
    n.put("apiVersion", "v1");
    ArrayNode list = n.putArray("groups");
    groups.forEach((group, versions) -> {
      ObjectNode g = list.addObject();
      g.put("name", group);
      ArrayNode vs = g.putArray("versions");
      versions.forEach(v -> vs.addObject().put("groupVersion", group + "/" + v).put("version", v));
      String preferred = versions.iterator().next();
      g.putObject("preferredVersion").put("groupVersion", group + "/" + preferred).put("version", preferred);
    });
    return n;
  }

  /** {@code GET /api/v1} or {@code /apis/GROUP/VERSION}: APIResourceList; empty when unknown. */
  public Optional<ObjectNode> resourceList(String group, String version) {
    List<ApiResource> in = resources.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
    if (in.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode n = JSON.objectNode();
    n.put("kind", "APIResourceList");
    n.put("apiVersion", "v1");
    n.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode list = n.putArray("resources");
    for (ApiResource r : in) {
      ObjectNode o = list.addObject();
      o.put("name", r.plural());
      o.put("singularName", r.singular());
      o.put("namespaced", r.namespaced());
      o.put("kind", r.kind());
      ArrayNode verbs = o.putArray("verbs");
      VERBS.forEach(verbs::add);
      if (!r.shortNames().isEmpty()) {
        ArrayNode shortNames = o.putArray("shortNames");
        r.shortNames().forEach(shortNames::add);
      }
      for (String sub : r.subresources()) {
        ObjectNode s = list.addObject();
        s.put("name", r.plural() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", r.namespaced());
        s.put("kind", r.kind());
        s.putArray("verbs").add("get").add("patch").add("update");
      }
    }
    return Optional.of(n);
  }
}
