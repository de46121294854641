package io.macp.devcluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of strategic merge patch (what kubectl sends for built-in kinds) that the mock can
 * apply: a patch that touches only maps and scalars means the same as a JSON merge patch (RFC
 * 7386) once its {@code $setElementOrder}/{@code $retainKeys} hints are dropped. A patch with a
 * list of objects would, as a merge patch, replace the whole list instead of merging by key (e.g.
 * lose a container's other fields), and a {@code $patch}/{@code $deleteFromPrimitiveList}
 * directive has no merge-patch meaning: both are refused with a message, never applied wrongly.
 */
final class StrategicMergePatches {
  /** Why a strategic merge patch cannot be applied here. */
  static final class Unsupported extends Exception {
    Unsupported(String message) {
      super(message);
    }
  }

  private StrategicMergePatches() {}

  /** The equivalent JSON merge patch; the argument is modified. */
  static JsonNode toMergePatch(JsonNode patch) throws Unsupported {
    strip(patch, "");
    return patch;
  }

  private static void strip(JsonNode node, String where) throws Unsupported {
    if (node.isArray()) {
      for (JsonNode e : node) {
        if (e.isObject() || e.isArray()) {
          throw new Unsupported("strategic merge patch of the list " + where + " is not supported by "
              + "the embedded cluster (it would replace the list instead of merging it by key); "
              + "use kubectl replace, or delete and create the object");
        }
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode object = (ObjectNode) node;
    List<String> drop = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String key = field.getKey();
      if (key.startsWith("$setElementOrder/") || key.equals("$retainKeys")) {
        drop.add(key);
      } else if (key.equals("$patch") && field.getValue().asText().equals("merge")) {
        drop.add(key);
      } else if (key.startsWith("$")) {
        throw new Unsupported("strategic merge patch directive " + key + " at " + where
            + " is not supported by the embedded cluster");
      } else {
        strip(field.getValue(), where + "." + key);
      }
    }
    drop.forEach(object::remove);
  }
}
