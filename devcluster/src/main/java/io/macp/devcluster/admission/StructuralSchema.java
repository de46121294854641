package io.macp.devcluster.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the API server does with a structural schema before it stores a custom resource, except
 * CEL (see {@link CrdAdmission}): nulls of non-nullable fields are pruned, unknown fields are
 * pruned and reported apart (strict field validation, kubectl's default, refuses them), defaults
 * are applied, then types, enums, patterns, lengths, bounds and required fields are checked. It
 * covers the schema keywords the crd-generator emits, and refuses any other.
 */
final class StructuralSchema {
  private static final List<String> KNOWN_KEYWORDS =
      List.of(
          "type", "description", "properties", "additionalProperties", "items", "required",
          "default", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum",
          "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "minProperties",
          "maxProperties", "nullable", "format", "anyOf", "x-kubernetes-int-or-string",
          "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations");

  private final List<String> errors = new ArrayList<>();
  private final List<String> unknownFields = new ArrayList<>();

  private StructuralSchema() {}

  /**
   * The pruned and defaulted value, every reason the API server would refuse it, and apart from
   * those the unknown fields it pruned ("path: unknown field \"name\"").
   */
  record Result(JsonNode value, List<String> errors, List<String> unknownFields) {}

  static Result admit(JsonNode schema, JsonNode value, String path) {
    StructuralSchema walker = new StructuralSchema();
    JsonNode defaulted = walker.visit(schema, value, path);
    return new Result(defaulted, List.copyOf(walker.errors), List.copyOf(walker.unknownFields));
  }

  private JsonNode visit(JsonNode schema, JsonNode value, String path) {
    checkKeywords(schema, path);
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        error(path, "Invalid value: " + value + ": must be an integer or a string");
      }
      return value;
    }
    String type = schema.path("type").asText("");
    boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    switch (type) {
      case "object" -> {
        if (!value.isObject()) {
          return typeError(path, value, type);
        }
        ObjectNode result = visitObject(schema, (ObjectNode) value, path, preserveUnknown);
        checkCount(result.size(), schema, "minProperties", "maxProperties", path, "properties");
        return result;
      }
      case "array" -> {
        if (!value.isArray()) {
          return typeError(path, value, type);
        }
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < value.size(); i++) {
          result.add(visit(schema.path("items"), value.get(i), path + "[" + i + "]"));
        }
        checkCount(result.size(), schema, "minItems", "maxItems", path, "items");
        return result;
      }
      case "string" -> {
        if (!value.isTextual()) {
          return typeError(path, value, type);
        }
        checkString(schema, value.textValue(), path);
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          return typeError(path, value, type);
        }
        checkNumber(schema, value, path);
      }
      case "number" -> {
        if (!value.isNumber()) {
          return typeError(path, value, type);
        }
        checkNumber(schema, value, path);
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          return typeError(path, value, type);
        }
      }
      case "" -> {
        if (!preserveUnknown) {
          error(path, "schema error: no type and no x-kubernetes-preserve-unknown-fields");
        }
      }
      default -> error(path, "schema error: unknown type " + type);
    }
    checkEnum(schema, value, path);
    return value;
  }

  private ObjectNode visitObject(
      JsonNode schema, ObjectNode value, String path, boolean preserveUnknown) {
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.get("additionalProperties");
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      JsonNode fieldSchema = schemaOf(properties, additional, field.getKey());
      String fieldPath = path + "." + field.getKey();
      if (fieldSchema == null) {
        if (preserveUnknown) {
          result.set(field.getKey(), field.getValue());
        } else {
          unknownFields.add(fieldPath + ": unknown field \"" + field.getKey() + "\"");
        }
      } else if (!field.getValue().isNull() || fieldSchema.path("nullable").asBoolean(false)) {
        result.set(field.getKey(), field.getValue());
      }
      // a null for a non-nullable field is pruned, so a default can take its place
    }
    for (Map.Entry<String, JsonNode> property : properties.properties()) {
      JsonNode defaultValue = property.getValue().get("default");
      if (defaultValue != null && !result.has(property.getKey())) {
        result.set(property.getKey(), defaultValue.deepCopy());
      }
    }
    for (String name : iterable(result.fieldNames())) {
      JsonNode fieldSchema = schemaOf(properties, additional, name);
      if (fieldSchema != null && !result.get(name).isNull()) {
        result.set(name, visit(fieldSchema, result.get(name), path + "." + name));
      }
    }
    for (JsonNode required : schema.path("required")) {
      if (!result.has(required.asText())) {
        error(path + "." + required.asText(), "Required value");
      }
    }
    return result;
  }

  private static JsonNode schemaOf(JsonNode properties, JsonNode additional, String name) {
    if (properties.has(name)) {
      return properties.get(name);
    }
    return additional != null && additional.isObject() ? additional : null;
  }

  private void checkString(JsonNode schema, String text, String path) {
    int length = text.codePointCount(0, text.length());
    if (schema.has("minLength") && length < schema.get("minLength").asLong()) {
      error(path, "Invalid value: \"" + text + "\": should be at least "
          + schema.get("minLength").asLong() + " chars long");
    }
    if (schema.has("maxLength") && length > schema.get("maxLength").asLong()) {
      error(path, "Too long: may not be more than " + schema.get("maxLength").asLong() + " bytes");
    }
    if (schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
      error(path, "Invalid value: \"" + text + "\": should match '"
          + schema.get("pattern").asText() + "'");
    }
  }

  private void checkNumber(JsonNode schema, JsonNode value, String path) {
    double v = value.asDouble();
    if (schema.has("minimum")) {
      double min = schema.get("minimum").asDouble();
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
      if (exclusive ? v <= min : v < min) {
        error(path, "Invalid value: " + value + ": should be greater than "
            + (exclusive ? "" : "or equal to ") + format(min));
      }
    }
    if (schema.has("maximum")) {
      double max = schema.get("maximum").asDouble();
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? v >= max : v > max) {
        error(path, "Invalid value: " + value + ": should be less than "
            + (exclusive ? "" : "or equal to ") + format(max));
      }
    }
  }

  private void checkEnum(JsonNode schema, JsonNode value, String path) {
    JsonNode allowed = schema.get("enum");
    if (allowed == null) {
      return;
    }
    for (JsonNode candidate : allowed) {
      if (sameValue(candidate, value)) {
        return;
      }
    }
    error(path, "Unsupported value: " + value + ": supported values: " + join(allowed));
  }

  private void checkCount(
      int count, JsonNode schema, String minKey, String maxKey, String path, String what) {
    if (schema.has(minKey) && count < schema.get(minKey).asLong()) {
      error(path, "Invalid value: should have at least " + schema.get(minKey).asLong() + " " + what);
    }
    if (schema.has(maxKey) && count > schema.get(maxKey).asLong()) {
      error(path, "Too many: must have at most " + schema.get(maxKey).asLong() + " " + what);
    }
  }

  private void checkKeywords(JsonNode schema, String path) {
    for (String keyword : iterable(schema.fieldNames())) {
      if (!KNOWN_KEYWORDS.contains(keyword)) {
        error(path, "schema error: keyword " + keyword + " is not checked by this validator");
      }
    }
  }

  /** Worded as the API server does: the JSON type found, the path, the type the schema wants. */
  private JsonNode typeError(String path, JsonNode value, String type) {
    String found = "\"" + jsonType(value) + "\"";
    String field = path.startsWith(".") ? path.substring(1) : path;
    error(path, "Invalid value: " + found + ": " + field + " in body must be of type " + type + ": "
        + found);
    return value;
  }

  private static String jsonType(JsonNode value) {
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return value.isArray() ? "array" : value.isObject() ? "object" : "null";
  }

  private void error(String path, String message) {
    errors.add(path + ": " + message);
  }

  /** Numbers compare by value: 2048 read as an int equals 2048 read as a long. */
  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static String join(JsonNode values) {
    List<String> parts = new ArrayList<>();
    values.forEach(v -> parts.add(v.toString()));
    return String.join(", ", parts);
  }

  private static String format(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static <T> Iterable<T> iterable(Iterator<T> it) {
    List<T> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }
}
