package io.macp.operator.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * spec.verifiers.selector, checked and copied (immutable): the label selector of the declared
 * verifier workloads in the issuer's namespace (docs/verifiers.md, "Declared verifiers").
 *
 * @param matchLabels label = value requirements, sorted
 * @param matchExpressions set-based requirements (operators In, NotIn, Exists, DoesNotExist, the
 *     Kubernetes LabelSelector's)
 */
public record VerifierSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  /** One matchExpressions entry. */
  public record Requirement(String key, String operator, List<String> values) {
    public Requirement {
      values = List.copyOf(values);
    }
  }

  public VerifierSelector {
    matchLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(matchLabels));
    matchExpressions = List.copyOf(matchExpressions);
  }

  /**
   * Parses a spec's selector.
   *
   * @param field the field's path, for the messages
   * @param problems receives each reason it can't be used, naming the field
   * @return the selector, or null when there were problems
   */
  public static VerifierSelector parse(String field, LabelSelector selector, List<String> problems) {
    if (selector == null) {
      problems.add(field + " is required when spec.verifiers is set");
      return null;
    }
    int before = problems.size();
    Map<String, String> labels = new TreeMap<>();
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().forEach((k, v) -> {
        if (k == null || k.isBlank()) {
          problems.add(field + ".matchLabels has an empty label name");
        } else {
          labels.put(k, v == null ? "" : v);
        }
      });
    }
    List<Requirement> expressions = new ArrayList<>();
    List<LabelSelectorRequirement> given =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    for (int i = 0; i < given.size(); i++) {
      LabelSelectorRequirement r = given.get(i);
      String at = field + ".matchExpressions[" + i + "]";
      List<String> values = r == null || r.getValues() == null ? List.of() : r.getValues();
      if (r == null || r.getKey() == null || r.getKey().isBlank()) {
        problems.add(at + ".key is required");
      } else if (r.getOperator() == null || !OPERATORS.contains(r.getOperator())) {
        problems.add(at + ".operator '" + (r == null ? null : r.getOperator())
            + "' is not one of In, NotIn, Exists, DoesNotExist");
      } else if ((r.getOperator().equals("In") || r.getOperator().equals("NotIn"))
          == values.isEmpty()) {
        problems.add(at + ": " + r.getOperator() + (values.isEmpty()
            ? " needs at least one value" : " takes no values"));
      } else {
        expressions.add(new Requirement(r.getKey(), r.getOperator(), values));
      }
    }
    if (problems.size() == before && labels.isEmpty() && expressions.isEmpty()) {
      problems.add(field + " must name at least one label (matchLabels or matchExpressions): an"
          + " empty selector would read every workload of the namespace");
    }
    return problems.size() == before ? new VerifierSelector(labels, expressions) : null;
  }

  /** As a Kubernetes LabelSelector, for a list call. */
  public LabelSelector toLabelSelector() {
    return new LabelSelectorBuilder()
        .withMatchLabels(new TreeMap<>(matchLabels))
        .withMatchExpressions(matchExpressions.stream()
            .map(r -> new LabelSelectorRequirementBuilder().withKey(r.key())
                .withOperator(r.operator()).withValues(new ArrayList<>(r.values())).build())
            .toList())
        .build();
  }

  /** kubectl's notation, e.g. {@code app=macp-runtime,tier in (a,b)}, for messages. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    matchLabels.forEach((k, v) -> parts.add(k + "=" + v));
    for (Requirement r : matchExpressions) {
      String values = r.values().stream().collect(Collectors.joining(","));
      parts.add(switch (r.operator()) {
        case "In" -> r.key() + " in (" + values + ")";
        case "NotIn" -> r.key() + " notin (" + values + ")";
        case "Exists" -> r.key();
        default -> "!" + r.key();
      });
    }
    return String.join(",", parts);
  }
}
