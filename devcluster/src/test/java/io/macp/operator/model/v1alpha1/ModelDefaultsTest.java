package io.macp.operator.model.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.devcluster.admission.CrdAdmission;
import io.macp.operator.crd.ProjectFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator reads specs through the Java model, whose field initializers are its defaults;
 * kubectl shows the CRD's. They must be the same values.
 */
class ModelDefaultsTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static ObjectNode emptyIssuer() {
    return (ObjectNode) ProjectFiles.yamlDocument(
        "apiVersion: macp.io/v1alpha1\nkind: MacpIssuer\nmetadata: {name: defaults}\nspec: {}\n");
  }

  @Test
  void schemaDefaultsEqualTheModelsFieldInitializers() {
    JsonNode schemaDefaults = new CrdAdmission(ProjectFiles.crd()).admit(emptyIssuer()).stored().get("spec");
    JsonNode modelDefaults = SERIALIZATION.convertValue(new MacpIssuerSpec(), JsonNode.class);
    assertThat(modelDefaults).isEqualTo(schemaDefaults);
  }

  @Test
  void aSpecWithoutFieldsReadsAsTheDefaults() {
    MacpIssuer issuer = SERIALIZATION.convertValue(emptyIssuer(), MacpIssuer.class);
    MacpIssuerSpec spec = issuer.getSpec();
    assertThat(spec.getIssuer()).isNull();
    assertThat(spec.getAudience()).isEqualTo("macp-runtime");
    assertThat(spec.getSigning().getAlgorithm()).isEqualTo("RS256");
    assertThat(spec.getSigning().getRsaKeySize()).isEqualTo(2048);
    assertThat(spec.getTokens().getDefaultTtl()).isEqualTo("5m");
    assertThat(spec.getTokens().getMaxTtl()).isEqualTo("1h");
    RotationSpec rotation = spec.getRotation();
    assertThat(rotation.getPeriod()).isEqualTo("24h");
    assertThat(rotation.getVerifierCacheTtl()).isEqualTo("5m");
    assertThat(rotation.getVerifierStaleGrace()).isEqualTo("1h");
    assertThat(rotation.getPropagationDelay()).isEqualTo("2m");
    assertThat(rotation.getClockSkew()).isEqualTo("1m");
    assertThat(spec.getReplicas()).isEqualTo(2);
    assertThat(spec.getService().getType()).isEqualTo("ClusterIP");
    assertThat(spec.getService().getPort()).isEqualTo(3200);
    assertThat(spec.getService().getPublicPort()).isEqualTo(3201);
    assertThat(spec.isRetainKeysOnDelete()).isTrue(); // keys survive a prune or a mistaken delete
    assertThat(spec.getMint().getAuthentication()).isEqualTo("None");
    assertThat(spec.getMint().getClients()).isNull();
    assertThat(spec.getMint().getAllowedFrom()).as("no NetworkPolicy by default").isNull();
    assertThat(spec.getMint().getTls()).isNull();
  }

  /** No spec, {@code spec: null} and explicit nulls inside it: every default, never a null. */
  @Test
  void aMissingOrNullSpecAndNullFieldsReadAsTheDefaults() {
    String expected = SERIALIZATION.asJson(new MacpIssuerSpec());
    for (String doc : List.of(
        "apiVersion: macp.io/v1alpha1\nkind: MacpIssuer\nmetadata: {name: a}\n",
        "apiVersion: macp.io/v1alpha1\nkind: MacpIssuer\nmetadata: {name: a}\nspec: null\n",
        "apiVersion: macp.io/v1alpha1\nkind: MacpIssuer\nmetadata: {name: a}\nspec: {rotation: null,"
            + " signing: null, tokens: null, service: null, mint: null, audience: null, replicas: null}\n",
        "apiVersion: macp.io/v1alpha1\nkind: MacpIssuer\nmetadata: {name: a}\nspec: {rotation:"
            + " {period: null, clockSkew: null}, signing: {algorithm: null}, service: {port: null},"
            + " mint: {authentication: null}, tokens: {maxTtl: null}}\n")) {
      MacpIssuer issuer = SERIALIZATION.convertValue(ProjectFiles.yamlDocument(doc), MacpIssuer.class);
      assertThat(SERIALIZATION.asJson(issuer.getSpec())).as(doc).isEqualTo(expected);
    }
    MacpIssuer built = new MacpIssuer();
    assertThat(SERIALIZATION.asJson(built.getSpec())).isEqualTo(expected);
    built.setSpec(null);
    assertThat(SERIALIZATION.asJson(built.getSpec())).isEqualTo(expected);
  }

  /** The API server fills an absent spec with {} and then every field's default, like the model. */
  @Test
  void theCrdDefaultsAnAbsentSpecToo() {
    ObjectNode noSpec = emptyIssuer();
    noSpec.remove("spec");
    JsonNode stored = new CrdAdmission(ProjectFiles.crd()).admit(noSpec).stored().get("spec");
    assertThat(stored).isEqualTo(SERIALIZATION.convertValue(new MacpIssuerSpec(), JsonNode.class));
  }

  @Test
  void theProductionExampleSurvivesARoundTripThroughTheModel() {
    JsonNode doc = ProjectFiles.yamlDocuments(ProjectFiles.examples().resolve("production.yaml")).get(0);
    MacpIssuer issuer = SERIALIZATION.convertValue(doc, MacpIssuer.class);
    JsonNode back = SERIALIZATION.convertValue(issuer, JsonNode.class);
    assertThat(back.get("spec")).isEqualTo(doc.get("spec"));
  }
}
