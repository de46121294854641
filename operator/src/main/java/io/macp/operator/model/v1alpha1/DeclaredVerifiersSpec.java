package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Declared verifiers (docs/verifiers.md, "Declared verifiers"): the MACP runtime workloads of the
 * issuer's namespace whose JWKS settings the operator checks against the key timeline. Off unless
 * set; an empty selector is refused, since it would read every workload of the namespace.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "(has(self.selector.matchLabels) && size(self.selector.matchLabels) > 0)"
        + " || (has(self.selector.matchExpressions) && size(self.selector.matchExpressions) > 0)",
    message = "verifiers.selector must name at least one label (matchLabels or"
        + " matchExpressions): an empty selector would read every workload of the namespace")
public class DeclaredVerifiersSpec {
  @JsonPropertyDescription(
      "Labels of the MACP runtime workloads (Deployments, StatefulSets, DaemonSets) in this"
          + " issuer's namespace that verify its tokens. The operator lists them (list on those"
          + " three kinds in this namespace; also get of ConfigMaps their containers take env"
          + " from; never Secrets) and reads only the MACP_AUTH_* variables of their containers."
          + " Workloads in other namespaces are not seen.")
  @Required
  private LabelSelector selector;

  public LabelSelector getSelector() { return selector; }
  public void setSelector(LabelSelector selector) { this.selector = selector; }
}
