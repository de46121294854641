package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.keyset.KeySpec;
import java.util.List;

/**
 * Gives {@code signing.rsaKeySize} its integer enum in the generated CRD, taken from {@link
 * KeySpec#RSA_SIZES}: the crd-generator derives enums from Java enums only, and a JSON merge patch
 * would replace the sibling property schemas. Used at build time only.
 */
public final class RsaKeySizeSchema implements SchemaCustomizer.Customizer {
  @Override
  public JSONSchemaProps apply(
      JSONSchemaProps signing, String input, KubernetesSerialization serialization) {
    List<JsonNode> sizes =
        KeySpec.RSA_SIZES.stream().sorted().<JsonNode>map(IntNode::valueOf).toList();
    signing.getProperties().get("rsaKeySize").setEnum(sizes);
    return signing;
  }
}
