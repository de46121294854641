package io.macp.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.macp.keyset.KeySpec;
import io.macp.keyset.SigningAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed CRD says what the issue asks: names, columns, status, descriptions, rules. */
class CrdContentTest {
  private static final JsonNode CRD = ProjectFiles.crd();
  private static final JsonNode VERSION = CRD.path("spec").path("versions").path(0);
  private static final JsonNode SCHEMA = ProjectFiles.crdSchema(CRD);

  /** Kubernetes' own types embedded in the spec; their fields are documented by Kubernetes. */
  private static final Set<String> EMBEDDED_KUBERNETES_TYPES = Set.of(
      "spec.affinity", "spec.tolerations", "spec.resources", "status.conditions",
      "spec.imagePullSecrets", "spec.topologySpreadConstraints",
      "spec.mint.allowedFrom.namespaceSelector", "spec.mint.allowedFrom.podSelector",
      "spec.verifiers.selector");

  @Test
  void namesAndScope() {
    assertThat(CRD.path("metadata").path("name").asText()).isEqualTo("macpissuers.macp.io");
    assertThat(CRD.path("spec").path("group").asText()).isEqualTo("macp.io");
    assertThat(CRD.path("spec").path("scope").asText()).isEqualTo("Namespaced");
    JsonNode names = CRD.path("spec").path("names");
    assertThat(names.path("kind").asText()).isEqualTo("MacpIssuer");
    assertThat(names.path("plural").asText()).isEqualTo("macpissuers");
    assertThat(names.path("shortNames").toString()).isEqualTo("[\"mi\"]");
    assertThat(CRD.path("spec").path("versions")).hasSize(1);
    assertThat(VERSION.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(VERSION.path("served").asBoolean()).isTrue();
    assertThat(VERSION.path("storage").asBoolean()).isTrue();
  }

  @Test
  void statusIsASubresource() {
    assertThat(VERSION.path("subresources").has("status")).isTrue();
  }

  @Test
  void printerColumns() {
    List<String> columns = new ArrayList<>();
    VERSION.path("additionalPrinterColumns").forEach(c -> columns.add(
        c.path("name").asText() + "=" + c.path("jsonPath").asText() + ":" + c.path("type").asText()));
    assertThat(columns).containsExactlyInAnyOrder(
        "Ready=.status.conditions[?(@.type==\"Ready\")].status:string",
        "Active Kid=.status.activeKid:string",
        "Next Rotation=.status.nextRotationAt:string",
        "Age=.metadata.creationTimestamp:date");
  }

  @Test
  void everyOwnFieldHasADescription() {
    List<String> undocumented = new ArrayList<>();
    for (String root : List.of("spec", "status")) {
      collectUndocumented(SCHEMA.path("properties").path(root), root, undocumented);
    }
    assertThat(undocumented).isEmpty();
  }

  private static void collectUndocumented(JsonNode schema, String path, List<String> out) {
    if (schema.path("description").asText("").isBlank()) {
      out.add(path);
    }
    if (EMBEDDED_KUBERNETES_TYPES.contains(path)) {
      return;
    }
    JsonNode items = schema.path("items").path("properties");
    JsonNode properties = schema.has("properties") ? schema.path("properties") : items;
    for (Map.Entry<String, JsonNode> p : properties.properties()) {
      collectUndocumented(p.getValue(), path + "." + p.getKey(), out);
    }
  }

  @Test
  void enumsComeFromTheKeysetAndTheServiceTypes() {
    JsonNode spec = SCHEMA.path("properties").path("spec").path("properties");
    JsonNode signing = spec.path("signing").path("properties");
    assertThat(texts(signing.path("algorithm").path("enum")))
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(SigningAlgorithm.values()).map(Enum::name).toList());
    List<Integer> sizes = new ArrayList<>();
    signing.path("rsaKeySize").path("enum").forEach(n -> sizes.add(n.intValue()));
    assertThat(sizes).containsExactlyInAnyOrderElementsOf(KeySpec.RSA_SIZES);
    assertThat(signing.path("rsaKeySize").path("type").asText()).isEqualTo("integer");
    assertThat(texts(spec.path("service").path("properties").path("type").path("enum")))
        .containsExactlyInAnyOrder("ClusterIP", "NodePort", "LoadBalancer");
    assertThat(texts(spec.path("rotation").path("properties").path("activationGate")
        .path("properties").path("mode").path("enum")))
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(io.macp.keyset.ActivationGate.Mode.values()).map(Enum::name).toList());
  }

  @Test
  void everyDurationFieldIsAPatternCheckedString() {
    JsonNode spec = SCHEMA.path("properties").path("spec").path("properties");
    List<JsonNode> durations = new ArrayList<>();
    spec.path("tokens").path("properties").forEach(durations::add);
    spec.path("rotation").path("properties").forEach(p -> {
      if (!p.has("properties")) {
        durations.add(p);
      }
    });
    durations.add(spec.path("rotation").path("properties").path("activationGate")
        .path("properties").path("maxHold"));
    assertThat(durations).hasSize(8).allSatisfy(d -> {
      assertThat(d.path("type").asText()).isEqualTo("string");
      assertThat(d.path("pattern").asText()).isEqualTo("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$");
      assertThat(d.path("maxLength").asInt()).isPositive();
      assertThat(rules(d)).containsExactly(
          io.macp.operator.model.v1alpha1.MacpIssuerSpec.DURATION_RULE);
    });
  }

  @Test
  void celRulesAreWhereTheyBelongWithAMessage() {
    JsonNode spec = SCHEMA.path("properties").path("spec").path("properties");
    // cross-field duration rules first check their operands are in range (one message, no CEL
    // evaluation error, for a huge duration)
    assertThat(rules(spec.path("tokens"))).anySatisfy(r -> assertThat(r)
        .startsWith("![self.defaultTtl, self.maxTtl].all(d, d.")
        .endsWith(" || duration(self.defaultTtl) <= duration(self.maxTtl)"));
    assertThat(rules(spec.path("rotation"))).anySatisfy(r -> assertThat(r).endsWith(
        " || duration(self.period) >= duration(self.propagationDelay) + duration(self.verifierCacheTtl)"
            + " + duration(self.verifierStaleGrace) + duration(self.clockSkew)"));
    List<JsonNode> all = new ArrayList<>();
    collectRules(SCHEMA, all);
    // that each compiles and decides as in a cluster: CrdValidationTest (devcluster, which has CEL)
    assertThat(all).hasSizeGreaterThanOrEqualTo(5).allSatisfy(rule ->
        assertThat(rule.path("message").asText()).isNotBlank());
  }

  private static void collectRules(JsonNode schema, List<JsonNode> out) {
    schema.path("x-kubernetes-validations").forEach(out::add);
    schema.path("properties").forEach(p -> collectRules(p, out));
    if (schema.has("items")) {
      collectRules(schema.get("items"), out);
    }
  }

  private static List<String> rules(JsonNode schema) {
    List<String> rules = new ArrayList<>();
    schema.path("x-kubernetes-validations").forEach(r -> rules.add(r.path("rule").asText()));
    return rules;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
