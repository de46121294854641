package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.macp.keyset.SigningAlgorithm;

/** How keys are made; changing it rotates to a key of the new kind through the normal lead time. */
@JsonIgnoreProperties(ignoreUnknown = true)
@SchemaCustomizer(RsaKeySizeSchema.class)
public class SigningSpec {
  @JsonPropertyDescription(
      "JWS algorithm of the signing keys: RS256 (RSA, the MACP reference default) or ES256 (ECDSA"
          + " P-256). MACP verifiers accept both. Changing it pre-publishes a key of the new kind and"
          + " switches to it after the lead time, so tokens keep verifying.")
  @SchemaFrom(type = SigningAlgorithm.class)
  @Default("RS256")
  @JsonSetter(nulls = Nulls.SKIP)
  private String algorithm = "RS256";

  @JsonPropertyDescription(
      "RSA modulus size in bits of new RS256 keys: 2048, 3072 or 4096. Ignored for ES256."
          + " Changing it affects keys created afterwards only.")
  @Default("2048")
  @JsonSetter(nulls = Nulls.SKIP)
  private Integer rsaKeySize = 2048;

  public String getAlgorithm() { return algorithm; }
  public void setAlgorithm(String algorithm) { this.algorithm = algorithm != null ? algorithm : "RS256"; }
  public Integer getRsaKeySize() { return rsaKeySize; }
  public void setRsaKeySize(Integer rsaKeySize) { this.rsaKeySize = rsaKeySize != null ? rsaKeySize : 2048; }
}
