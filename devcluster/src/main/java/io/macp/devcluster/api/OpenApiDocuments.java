package io.macp.devcluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Optional;

/**
 * OpenAPI v3 as kubectl reads it: {@code /openapi/v3} lists one document per group-version and
 * {@code /openapi/v3/apis/GROUP/VERSION} (or {@code /openapi/v3/api/v1}) holds it.
 *
 * <p>Each document has, per resource, a PATCH operation tagged with its group-version-kind that
 * declares the {@code fieldValidation} query parameter: kubectl apply/create read that to decide
 * the server validates fields itself, instead of downloading OpenAPI v2 (protobuf, not served
 * here) for client-side validation. The mock validates custom resources itself
 * ({@code AdmittingCrudDispatcher}, docs/embedded.md).
 * CRDs contribute their {@code openAPIV3Schema} as a component tagged with
 * {@code x-kubernetes-group-version-kind}, which is what {@code kubectl explain} looks up. Built-in
 * kinds get no schema, so {@code kubectl explain} works for custom resources only.
 */
public final class OpenApiDocuments {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = Serialization.jsonMapper();

  private final ApiDiscovery discovery;
  private final List<CustomResourceDefinition> crds;

  public OpenApiDocuments(ApiDiscovery discovery, List<CustomResourceDefinition> crds) {
    this.discovery = discovery;
    this.crds = crds;
  }

  /** {@code GET /openapi/v3}: the index of group-version documents. */
  public ObjectNode root() {
    ObjectNode n = JSON.objectNode();
    ObjectNode paths = n.putObject("paths");
    discovery.resources().stream().map(ApiDiscovery::documentPath).distinct()
        .forEach(p -> paths.putObject(p).put("serverRelativeURL", "/openapi/v3/" + p));
    return n;
  }

  /**
   * {@code GET /openapi/v3/<path>} for a path from {@link #root()}, e.g. {@code apis/macp.io/v1alpha1}.
   */
  public Optional<ObjectNode> document(String path) {
    var in = discovery.resources().stream().filter(r -> ApiDiscovery.documentPath(r).equals(path)).toList();
    if (in.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode doc = JSON.objectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes (embedded MACP cluster)").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (ApiResource r : in) {
      String base = (r.group().isEmpty() ? "/api/" : "/apis/" + r.group() + "/") + r.version()
          + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
      ObjectNode patch = paths.putObject(base).putObject("patch");
      patch.put("operationId", "patch" + r.kind());
      patch.set("x-kubernetes-group-version-kind", gvk(r));
      patch.putArray("parameters").addObject()
          .put("name", "fieldValidation").put("in", "query")
          .put("description", "accepted; the embedded API server does not validate fields")
          .putObject("schema").put("type", "string").put("uniqueItems", true);
      patch.putObject("responses").putObject("200").put("description", "OK");
      schema(r).ifPresent(s -> schemas.set(schemaName(r), s));
    }
    return Optional.of(doc);
  }

  private Optional<ObjectNode> schema(ApiResource r) {
    for (CustomResourceDefinition crd : crds) {
      if (!crd.getSpec().getGroup().equals(r.group())
          || !crd.getSpec().getNames().getPlural().equals(r.plural())) {
        continue;
      }
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if (!v.getName().equals(r.version()) || v.getSchema() == null
            || v.getSchema().getOpenAPIV3Schema() == null) {
          continue;
        }
        ObjectNode s = MAPPER.valueToTree(v.getSchema().getOpenAPIV3Schema());
        ObjectNode props = s.with("properties");
        props.putObject("apiVersion").put("type", "string").put("description",
            "APIVersion defines the versioned schema of this representation of an object.");
        props.putObject("kind").put("type", "string").put("description",
            "Kind is a string value representing the REST resource this object represents.");
        if (!props.has("metadata") || props.get("metadata").size() <= 1) {
          props.putObject("metadata").put("type", "object").put("description",
              "Standard object's metadata (name, namespace, labels, annotations, ...).");
        }
        if (!s.has("description")) {
          s.put("description", r.kind() + " (" + r.apiVersion() + ")");
        }
        s.set("x-kubernetes-group-version-kind", JSON.arrayNode().add(gvk(r)));
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static String schemaName(ApiResource r) {
    String[] parts = r.group().split("\\.");
    StringBuilder reversed = new StringBuilder();
    for (int i = parts.length - 1; i >= 0; i--) {
      reversed.append(parts[i]).append('.');
    }
    return reversed + r.version() + "." + r.kind();
  }

  private static JsonNode gvk(ApiResource r) {
    return JSON.objectNode().put("group", r.group()).put("version", r.version()).put("kind", r.kind());
  }
}
