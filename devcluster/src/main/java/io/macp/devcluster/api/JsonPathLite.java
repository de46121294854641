package io.macp.devcluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset CRD printer columns use, evaluated on Jackson trees: member steps
 * ({@code .a.b}), indexes ({@code [0]}), wildcards ({@code [*]}) and equality filters
 * ({@code [?(@.type=="Ready")]}). Anything else is rejected when parsed, so an unsupported column
 * fails loudly instead of printing a wrong value. (A real API server uses the full k8s JSONPath.)
 */
final class JsonPathLite {
  private static final Pattern FILTER =
      Pattern.compile("\\?\\(@\\.([A-Za-z0-9_.-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)");

  private sealed interface Step permits Member, Index, Wildcard, Filter {}

  private record Member(String name) implements Step {}

  private record Index(int index) implements Step {}

  private record Wildcard() implements Step {}

  private record Filter(List<String> field, String value) implements Step {}

  private final List<Step> steps;

  private JsonPathLite(List<Step> steps) {
    this.steps = steps;
  }

  /** @throws IllegalArgumentException for a path outside the subset */
  static JsonPathLite compile(String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    List<Step> steps = new ArrayList<>();
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        if (end == i + 1) {
          throw new IllegalArgumentException("unsupported JSONPath " + path);
        }
        steps.add(new Member(p.substring(i + 1, end)));
        i = end;
      } else if (c == '[') {
        int end = p.indexOf(']', i);
        if (end < 0) {
          throw new IllegalArgumentException("unsupported JSONPath " + path);
        }
        String inner = p.substring(i + 1, end);
        if (inner.equals("*")) {
          steps.add(new Wildcard());
        } else if (inner.matches("\\d+")) {
          steps.add(new Index(Integer.parseInt(inner)));
        } else {
          Matcher m = FILTER.matcher(inner);
          if (!m.matches()) {
            throw new IllegalArgumentException("unsupported JSONPath " + path);
          }
          steps.add(new Filter(List.of(m.group(1).split("\\.")), m.group(2)));
        }
        i = end + 1;
      } else {
        throw new IllegalArgumentException("unsupported JSONPath " + path);
      }
    }
    return new JsonPathLite(List.copyOf(steps));
  }

  /** Every node the path selects, in document order; empty when nothing matches. */
  List<JsonNode> find(JsonNode root) {
    List<JsonNode> current = List.of(root);
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        if (step instanceof Member m) {
          JsonNode child = node.get(m.name());
          if (child != null && !child.isNull()) {
            next.add(child);
          }
        } else if (step instanceof Index ix) {
          if (node.isArray() && ix.index() < node.size()) {
            next.add(node.get(ix.index()));
          }
        } else if (step instanceof Wildcard) {
          node.elements().forEachRemaining(next::add);
        } else if (step instanceof Filter f) {
          node.elements().forEachRemaining(e -> {
            JsonNode v = e;
            for (String k : f.field()) {
              v = v == null ? null : v.get(k);
            }
            if (v != null && v.isValueNode() && v.asText().equals(f.value())) {
              next.add(e);
            }
          });
        }
      }
      current = next;
    }
    return current;
  }
}
