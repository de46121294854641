package io.macp.devcluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Server-side printing: turns an object or a list into a {@code meta.k8s.io/v1} Table, which is
 * what {@code kubectl get} asks for ({@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}).
 * Custom resources get the NAME column plus their CRD version's {@code additionalPrinterColumns}
 * in CRD order, evaluated with JSONPath; {@code date} columns print as an age, as the API server's
 * CRD table convertor does. A handful of built-in kinds get the columns kubectl users know; the
 * rest get NAME and AGE.
 */
public final class TableConverter {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** One column: its definition and how a cell is computed from the object. */
  record Column(String name, String type, String format, String description, int priority,
      Function<JsonNode, JsonNode> cell) {}

  private final Clock clock;
  private final List<CustomResourceDefinition> crds;

  public TableConverter(Clock clock, List<CustomResourceDefinition> crds) {
    this.clock = clock;
    this.crds = crds;
  }

  /**
   * @param includeObject the request's {@code includeObject}: None, Metadata (default) or Object
   * @param withColumns false for watch events after the first, as the API server does
   */
  public ObjectNode table(ApiResource resource, JsonNode objectOrList, String includeObject,
      boolean withColumns) {
    List<Column> columns = columns(resource);
    ObjectNode table = JSON.objectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = table.putObject("metadata");
    JsonNode srcMeta = objectOrList.path("metadata");
    if (srcMeta.has("resourceVersion")) {
      meta.put("resourceVersion", srcMeta.get("resourceVersion").asText());
    }
    ArrayNode defs = table.putArray("columnDefinitions");
    if (withColumns) {
      for (Column c : columns) {
        defs.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
            .put("description", c.description()).put("priority", c.priority());
      }
    }
    ArrayNode rows = table.putArray("rows");
    List<JsonNode> items = new ArrayList<>();
    if (objectOrList.has("items")) {
      objectOrList.get("items").forEach(items::add);
    } else {
      items.add(objectOrList);
    }
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      columns.forEach(c -> cells.add(c.cell().apply(item)));
      if ("Object".equalsIgnoreCase(includeObject)) {
        ObjectNode full = item.deepCopy();
        if (!full.has("kind")) {
          full.put("kind", resource.kind());
          full.put("apiVersion", resource.apiVersion());
        }
        row.set("object", full);
      } else if (!"None".equalsIgnoreCase(includeObject)) {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", item.path("metadata").deepCopy());
      }
    }
    return table;
  }

  List<Column> columns(ApiResource resource) {
    List<Column> columns = new ArrayList<>();
    columns.add(new Column("Name", "string", "name",
        "Name must be unique within a namespace.", 0, o -> text(o.path("metadata").path("name"))));
    List<CustomResourceColumnDefinition> custom = crdColumns(resource);
    if (custom != null) {
      for (CustomResourceColumnDefinition d : custom) {
        columns.add(crdColumn(d));
      }
      return columns;
    }
    if (resource.plural().equals("events")) {
      // kubectl's event columns: LAST SEEN first, no AGE, no NAME
      columns.clear();
      columns.add(new Column("Last Seen", "string", "", "Time of the last occurrence", 0,
          o -> age(o.path("lastTimestamp").asText(o.path("eventTime").asText(
              o.path("metadata").path("creationTimestamp").asText(""))))));
      columns.addAll(BUILT_IN.get("events"));
      return columns;
    }
    columns.addAll(BUILT_IN.getOrDefault(resource.plural(), List.of()));
    columns.add(age());
    return columns;
  }

  /** The CRD version's printer columns; null when the resource is not a custom resource. */
  private List<CustomResourceColumnDefinition> crdColumns(ApiResource r) {
    for (CustomResourceDefinition crd : crds) {
      if (crd.getSpec().getGroup().equals(r.group())
          && crd.getSpec().getNames().getPlural().equals(r.plural())) {
        for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
          if (v.getName().equals(r.version())) {
            if (v.getAdditionalPrinterColumns() == null || v.getAdditionalPrinterColumns().isEmpty()) {
              // a CRD without columns prints NAME and AGE, like the API server
              return List.of(new CustomResourceColumnDefinitionBuilder().withName("Age")
                  .withType("date").withJsonPath(".metadata.creationTimestamp").build());
            }
            return v.getAdditionalPrinterColumns();
          }
        }
      }
    }
    return null;
  }

  private Column crdColumn(CustomResourceColumnDefinition d) {
    JsonPathLite path = JsonPathLite.compile(d.getJsonPath());
    String type = d.getType() == null ? "string" : d.getType();
    int priority = d.getPriority() == null ? 0 : d.getPriority();
    return new Column(d.getName(), type, d.getFormat() == null ? "" : d.getFormat(),
        d.getDescription() == null ? "" : d.getDescription(), priority, o -> {
          List<JsonNode> found = path.find(o);
          if (found.isEmpty()) {
            return JSON.nullNode();
          }
          JsonNode v = found.get(0);
          if ("date".equals(type)) {
            return age(v.asText());
          }
          return v.isValueNode() ? v : JSON.textNode(v.toString());
        });
  }

  private Column age() {
    return new Column("Age", "string", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created.",
        0, o -> age(o.path("metadata").path("creationTimestamp").asText("")));
  }

  private JsonNode age(String timestamp) {
    try {
      return JSON.textNode(humanDuration(Duration.between(Instant.parse(timestamp), clock.instant())));
    } catch (DateTimeParseException e) {
      return JSON.textNode("<unknown>");
    }
  }

  private static JsonNode text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? JSON.nullNode() : JSON.textNode(n.asText());
  }

  private static Column col(String name, Function<JsonNode, JsonNode> cell) {
    return new Column(name, "string", "", name, 0, cell);
  }

  private static JsonNode count(JsonNode o, String... fields) {
    int n = 0;
    for (String f : fields) {
      n += o.path(f).size();
    }
    return JSON.numberNode(n);
  }

  /** Columns of built-in kinds (before AGE), after kubectl's own printers for them. */
  private static final Map<String, List<Column>> BUILT_IN = Map.of(
      "secrets", List.of(col("Type", o -> text(o.path("type"))),
          col("Data", o -> count(o, "data", "stringData"))),
      "configmaps", List.of(col("Data", o -> count(o, "data", "binaryData"))),
      "deployments", List.of(
          col("Ready", o -> JSON.textNode(o.path("status").path("readyReplicas").asInt(0) + "/"
              + o.path("spec").path("replicas").asInt(1))),
          col("Up-to-date", o -> JSON.numberNode(o.path("status").path("updatedReplicas").asInt(0))),
          col("Available", o -> JSON.numberNode(o.path("status").path("availableReplicas").asInt(0)))),
      "events", List.of(
          col("Type", o -> text(o.path("type"))),
          col("Reason", o -> text(o.path("reason"))),
          col("Object", o -> JSON.textNode(o.path("involvedObject").path("kind").asText("").toLowerCase()
              + "/" + o.path("involvedObject").path("name").asText(""))),
          col("Message", o -> text(o.path("message")))),
      "services", List.of(col("Type", o -> text(o.path("spec").path("type"))),
          col("Cluster-IP", o -> text(o.path("spec").path("clusterIP")))));

  /**
   * Go's {@code duration.HumanDuration} (k8s.io/apimachinery), so ages read as in kubectl:
   * "45s", "3m12s", "5h2m", "3d4h".
   */
  static String humanDuration(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 180) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }
}
