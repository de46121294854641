package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Callers admitted by the issuer's NetworkPolicy: a NetworkPolicyPeer without ipBlock. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "has(self.namespaceSelector) || has(self.podSelector)",
    message = "an allowedFrom peer needs a namespaceSelector, a podSelector or both")
public class MintPeerSpec {
  @JsonPropertyDescription(
      "Namespaces whose pods may connect ({} selects every namespace). With podSelector: only"
          + " the matching pods in those namespaces.")
  private LabelSelector namespaceSelector;

  @JsonPropertyDescription(
      "Pods that may connect; without namespaceSelector, pods in the issuer's own namespace.")
  private LabelSelector podSelector;

  public LabelSelector getNamespaceSelector() { return namespaceSelector; }
  public void setNamespaceSelector(LabelSelector namespaceSelector) { this.namespaceSelector = namespaceSelector; }
  public LabelSelector getPodSelector() { return podSelector; }
  public void setPodSelector(LabelSelector podSelector) { this.podSelector = podSelector; }
}
