package io.macp.devcluster.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides, as the API server would with a CRD, whether a custom resource is accepted: apiVersion
 * and kind, the structural schema (pruning, defaults, types, bounds), then every CEL rule on the
 * pruned and defaulted object. The embedded API server admits writes with it ({@link
 * AdmittingCrudDispatcher}); tests use it instead of a cluster. Only the CRD's first version is
 * checked.
 */
public final class CrdAdmission {
  private final JsonNode crd;
  private final JsonNode schema;

  /**
   * The outcome: the object as it would be stored (unknown fields pruned, defaults applied), each
   * reason it is invalid, and apart from those the unknown fields that were pruned.
   */
  public record Result(JsonNode stored, List<String> invalid, List<String> unknownFields) {
    /** Every reason a strict request (kubectl's default) is refused: invalid, then unknown fields. */
    public List<String> errors() {
      List<String> all = new ArrayList<>(invalid);
      all.addAll(unknownFields);
      return List.copyOf(all);
    }

    /** Accepted under strict field validation: nothing invalid, no unknown field. */
    public boolean accepted() {
      return invalid.isEmpty() && unknownFields.isEmpty();
    }
  }

  /** @param crd a CustomResourceDefinition (apiextensions.k8s.io/v1) as JSON */
  public CrdAdmission(JsonNode crd) {
    this.crd = crd;
    this.schema = crdSchema(crd);
  }

  /** The openAPIV3Schema of the CRD's first version; missing when it has none. */
  public static JsonNode crdSchema(JsonNode crd) {
    return crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema");
  }

  /** The kind of the CRD's resources, e.g. MacpIssuer. */
  public String kind() {
    return crd.path("spec").path("names").path("kind").asText();
  }

  /** The whole object, as on create, update or patch of the resource itself. */
  public Result admit(JsonNode object) {
    List<String> errors = new ArrayList<>();
    String group = crd.path("spec").path("group").asText();
    String version = crd.path("spec").path("versions").path(0).path("name").asText();
    String kind = kind();
    if (!object.path("apiVersion").asText().equals(group + "/" + version)) {
      errors.add("apiVersion: must be " + group + "/" + version);
    }
    if (!object.path("kind").asText().equals(kind)) {
      errors.add("kind: must be " + kind);
    }
    if (object.path("metadata").path("name").asText("").isEmpty()) {
      errors.add("metadata.name: Required value");
    }
    // apiVersion, kind and metadata are the API server's, not part of the generated schema
    ObjectNode body = object.deepCopy();
    body.remove(List.of("apiVersion", "kind", "metadata"));
    StructuralSchema.Result structural = StructuralSchema.admit(schema, body, "");
    errors.addAll(withoutLeadingDot(structural.errors()));
    ObjectNode stored = JsonNodeFactory.instance.objectNode();
    for (String field : List.of("apiVersion", "kind", "metadata")) {
      if (object.has(field)) {
        stored.set(field, object.get(field).deepCopy());
      }
    }
    stored.setAll((ObjectNode) structural.value());
    if (errors.isEmpty()) {
      evaluateRules(schema, stored, "", errors);
    }
    return new Result(stored, List.copyOf(errors), withoutLeadingDot(structural.unknownFields()));
  }

  /**
   * A write of the status subresource: the API server ignores the spec there, so only status is
   * checked against its schema (and its own rules, if any) and pruned and defaulted.
   */
  public Result admitStatus(JsonNode object) {
    JsonNode statusSchema = schema.path("properties").path("status");
    JsonNode status = object.get("status");
    ObjectNode stored = object.deepCopy();
    if (statusSchema.isMissingNode() || status == null || status.isNull()) {
      return new Result(stored, List.of(), List.of());
    }
    StructuralSchema.Result structural = StructuralSchema.admit(statusSchema, status, ".status");
    List<String> errors = new ArrayList<>(withoutLeadingDot(structural.errors()));
    stored.set("status", structural.value());
    if (errors.isEmpty()) {
      evaluateRules(statusSchema, structural.value(), "status", errors);
    }
    return new Result(stored, List.copyOf(errors), withoutLeadingDot(structural.unknownFields()));
  }

  private static List<String> withoutLeadingDot(List<String> errors) {
    return errors.stream().map(e -> e.startsWith(".") ? e.substring(1) : e).toList();
  }

  private static void evaluateRules(JsonNode schema, JsonNode value, String path, List<String> errors) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String where = path.isEmpty() ? "<root>" : path;
      try {
        if (!CelRules.holds(rule.path("rule").asText(), value)) {
          errors.add(where + ": Invalid value: \"object\": " + rule.path("message").asText());
        }
      } catch (CelEvaluationException | RuntimeException e) {
        errors.add(where + ": Invalid value: \"object\": rule '" + rule.path("rule").asText()
            + "' failed: " + e.getMessage());
      }
    }
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.get("additionalProperties");
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        JsonNode fieldSchema = properties.has(field.getKey()) ? properties.get(field.getKey())
            : additional != null && additional.isObject() ? additional : null;
        if (fieldSchema != null) {
          String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
          evaluateRules(fieldSchema, field.getValue(), fieldPath, errors);
        }
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        evaluateRules(schema.path("items"), value.get(i), path + "[" + i + "]", errors);
      }
    }
  }
}
