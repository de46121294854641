package io.macp.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides, as the API server would with the committed CRD, whether a MacpIssuer manifest is
 * accepted: apiVersion and kind, the structural schema (pruning, defaults, types, bounds), then
 * every CEL rule on the defaulted object. Tests use it instead of a cluster.
 */
public final class CrdAdmission {
  private final JsonNode crd;
  private final JsonNode schema;

  /** The outcome: the object as it would be stored, and each reason it would be refused. */
  public record Result(JsonNode stored, List<String> errors) {
    public boolean accepted() {
      return errors.isEmpty();
    }
  }

  public CrdAdmission(JsonNode crd) {
    this.crd = crd;
    this.schema = ProjectFiles.crdSchema(crd);
  }

  public static CrdAdmission ofCommittedCrd() {
    return new CrdAdmission(ProjectFiles.crd());
  }

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
    stored.setAll((ObjectNode) structural.value());
    if (errors.isEmpty()) {
      evaluateRules(schema, stored, "", errors);
    }
    return new Result(stored, List.copyOf(errors));
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
