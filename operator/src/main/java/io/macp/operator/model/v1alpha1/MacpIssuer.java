package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A MACP JWT issuer: policy only, never key material. */
@JsonIgnoreProperties(ignoreUnknown = true)
@Group(MacpIssuer.GROUP)
@Version(MacpIssuer.VERSION)
@Kind("MacpIssuer")
@ShortNames("mi")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Active Kid",
    jsonPath = ".status.activeKid",
    type = AdditionalPrinterColumn.Type.STRING)
// A string, not a date: kubectl prints future dates as <invalid>.
@AdditionalPrinterColumn(
    name = "Next Rotation",
    jsonPath = ".status.nextRotationAt",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// The name becomes the Service name and a label value: a DNS-1035 label of at most 63 characters.
@ValidationRule(
    value = "size(self.metadata.name) <= 63 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name must be a DNS-1035 label of at most 63 characters (lowercase letters,"
            + " digits and '-', starting with a letter): it names the issuer's Service")
public class MacpIssuer extends CustomResource<MacpIssuerSpec, MacpIssuerStatus>
    implements Namespaced {
  public static final String GROUP = "macp.io";
  public static final String VERSION = "v1alpha1";

  /** A new issuer, or one read without {@code spec}, has every default of the model. */
  @Override
  protected MacpIssuerSpec initSpec() {
    return new MacpIssuerSpec();
  }

  /** {@code spec: null} (or a null from code) means the defaults, as for an absent spec. */
  @Override
  public void setSpec(MacpIssuerSpec spec) {
    super.setSpec(spec != null ? spec : new MacpIssuerSpec());
  }

  // Overridden to describe spec and status for kubectl explain; the API server fills in an absent
  // spec as {} and then each field's default.
  @Override
  @Default("{}")
  @JsonPropertyDescription(
      "Policy of a MACP JWT issuer: claims, signing algorithm, token lifetimes, key rotation"
          + " schedule and how its pods run. Never key material: keys live in the Secret"
          + " <name>-keys, which the operator writes.")
  public MacpIssuerSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed and did: conditions, the active key, the next rotation, every"
          + " key's timeline (never key material) and the in-cluster URLs.")
  public MacpIssuerStatus getStatus() {
    return super.getStatus();
  }
}
