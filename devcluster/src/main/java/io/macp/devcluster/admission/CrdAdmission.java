package io.macp.devcluster.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides, as the API server would with the committed CRD, whether a MacpIssuer manifest is
 * accepted: apiVersion and kind, the structural schema (pruning, defaults, types, bounds), then
 * every CEL rule on the defaulted object. Tests use it instead of a cluster, and the embedded API
 * server admits writes with it ({@link AdmittingCrudDispatcher}). Only the first version of a CRD
 * is checked.
 */
public final class CrdAdmission {
  private final JsonNode crd;
  private final JsonNode schema;

  /**
   * The outcome: the object as it would be stored, and each reason it would be refused. Unknown
   * fields are pruned from what is stored; they are among the errors too (refused under strict
   * field validation, kubectl's default) and listed apart.
   */
  public record Result(JsonNode stored, List<String> errors, List<String> unknownFields) {
    public boolean accepted() {
      return errors.isEmpty();
    }

    /** The errors other than unknown fields: what refuses the object under any field validation. */
    public List<String> invalid() {
      return errors.stream().filter(e -> !unknownFields.contains(e)).toList();
    }
  }

  public CrdAdmission(JsonNode crd) {
    this.crd = crd;
    this.schema = crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema");
  }

  /** The whole object, as on create, update or patch of the resource itself. */
  public Result admit(JsonNode object) {
    List<String> errors = new ArrayList<>();
    String group = crd.path("spec").path("group").asText();
    String version = crd.path("spec").path("versions").path(0).path("name").asText();
    String kind = crd.path("spec").path("names").path("kind").asText();
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
    errors.addAll(structural.errors().stream().map(e -> e.startsWith(".") ? e.substring(1) : e).toList());
    ObjectNode stored = object.deepCopy();
    stored.retain("apiVersion", "kind", "metadata");
    stored.setAll((ObjectNode) structural.value());
    if (errors.isEmpty()) {
      evaluateRules(schema, stored, "", errors);
    }
    return withUnknownFields(stored, errors, structural);
  }

  /**
   * A write of the status subresource: the API server ignores the spec there, so only status is
   * checked against its schema (and its own rules, if any), pruned and defaulted.
   */
  public Result admitStatus(JsonNode object) {
    JsonNode statusSchema = schema.path("properties").path("status");
    JsonNode status = object.get("status");
    ObjectNode stored = object.deepCopy();
    if (statusSchema.isMissingNode() || status == null || status.isNull()) {
      return new Result(stored, List.of(), List.of());
    }
    StructuralSchema.Result structural = StructuralSchema.admit(statusSchema, status, ".status");
    List<String> errors = new ArrayList<>();
    errors.addAll(structural.errors().stream().map(e -> e.startsWith(".") ? e.substring(1) : e).toList());
    stored.set("status", structural.value());
    if (errors.isEmpty()) {
      evaluateRules(statusSchema, structural.value(), "status", errors);
    }
    return withUnknownFields(stored, errors, structural);
  }

  private static Result withUnknownFields(
      JsonNode stored, List<String> errors, StructuralSchema.Result structural) {
    List<String> unknown = structural.unknownFields().stream().map(e -> e.substring(1)).toList();
    errors.addAll(unknown);
    return new Result(stored, List.copyOf(errors), unknown);
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
