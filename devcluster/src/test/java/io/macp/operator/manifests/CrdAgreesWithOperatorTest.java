package io.macp.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.devcluster.admission.CrdAdmission;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerSpecValidator;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kubectl (the CRD) and the operator (IssuerSpecValidator, its last line where no CRD rules run,
 * e.g. the mock server) must agree: what one refuses for its meaning, the other refuses too.
 */
class CrdAgreesWithOperatorTest {
  private static final CrdAdmission CRD = new CrdAdmission(ProjectFiles.crd());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static JsonNode issuer(String specYaml) {
    return ProjectFiles.yamlDocument(
        "apiVersion: macp.io/v1alpha1\nkind: MacpIssuer\nmetadata:\n  name: test\nspec:\n"
            + specYaml.indent(2));
  }

  @ParameterizedTest
  @MethodSource("io.macp.operator.manifests.ExamplesTest#exampleFiles")
  void bothAcceptEveryExample(Path file) {
    for (JsonNode doc : ExamplesTest.issuersIn(file)) {
      CrdAdmission.Result admitted = CRD.admit(doc);
      assertThat(admitted.errors()).as("%s", file.getFileName()).isEmpty();
      MacpIssuer stored = SERIALIZATION.convertValue(admitted.stored(), MacpIssuer.class);
      assertThat(IssuerSpecValidator.validate(stored).problems())
          .as("%s", file.getFileName()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "rotation: {period: 1h}",
      "rotation: {period: 30s, verifierCacheTtl: 5s, propagationDelay: 2s, clockSkew: 1s}",
      "rotation: {period: 7d}",
      "tokens: {defaultTtl: 2h}",
      "signing: {algorithm: RS512}",
      "signing: {rsaKeySize: 1024}",
      "replicas: 0",
      "service: {type: ExternalName}",
      "service: {port: 70000}",
      "audience: \"\"",
      "mint: {authentication: ServiceAccount}",
      "mint: {authentication: SharedSecret, clients: [{sharedSecret: a, senders: [x]}]}",
      "mint: {sharedSecretRef: tokens}",
      "mint: {clients: [{sharedSecret: a, senders: [x]}]}",
      "mint: {authentication: ServiceAccount, clients: [{serviceAccount: a/b, senders: []}]}",
      "mint: {authentication: ServiceAccount, clients: [{serviceAccount: a/b, senders: [x],"
          + " maxTtl: 1d}]}",
      "mint: {authentication: ServiceAccount, clients: [{serviceAccount: a/b, senders: [x]},"
          + " {serviceAccount: a/b, senders: [y]}]}",
      "mint: {allowedFrom: []}",
      "mint: {allowedFrom: [{}]}"})
  void bothRefuseASpecThatMakesNoSense(String specYaml) {
    JsonNode manifest = issuer(specYaml);
    assertThat(CRD.admit(manifest).errors()).as("kubectl").isNotEmpty();
    MacpIssuer issuer = SERIALIZATION.convertValue(manifest, MacpIssuer.class);
    assertThat(IssuerSpecValidator.validate(issuer).problems()).as("operator").isNotEmpty();
  }
}
