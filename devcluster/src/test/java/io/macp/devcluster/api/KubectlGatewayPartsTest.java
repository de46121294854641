package io.macp.devcluster.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pure parts of the kubectl gateway: JSONPath subset, strategic merge, ages, paths. */
class KubectlGatewayPartsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jsonPathSelectsTheReadyConditionsStatus() throws Exception {
    JsonNode issuer = JSON.readTree("""
        {"status":{"conditions":[{"type":"Available","status":"False"},{"type":"Ready","status":"True"}],
         "activeKid":"k1"}}""");
    assertThat(JsonPathLite.compile(".status.conditions[?(@.type==\"Ready\")].status").find(issuer))
        .extracting(JsonNode::asText).containsExactly("True");
    assertThat(JsonPathLite.compile(".status.activeKid").find(issuer))
        .extracting(JsonNode::asText).containsExactly("k1");
    assertThat(JsonPathLite.compile(".status.conditions[1].type").find(issuer))
        .extracting(JsonNode::asText).containsExactly("Ready");
    assertThat(JsonPathLite.compile(".status.nextRotationAt").find(issuer)).isEmpty();
  }

  @Test
  void jsonPathOutsideTheSubsetIsRefusedNotGuessed() {
    assertThatThrownBy(() -> JsonPathLite.compile(".items[?(@.a > 1)]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported JSONPath");
    assertThatThrownBy(() -> JsonPathLite.compile("..name"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void strategicMergeOfMapsBecomesAMergePatch() throws Exception {
    JsonNode patch = JSON.readTree("""
        {"metadata":{"annotations":{"team":"platform","gone":null}},
         "$setElementOrder/finalizers":["a"],"data":{"k":"v"}}""");
    assertThat(StrategicMergePatches.toMergePatch(patch).toString())
        .isEqualTo("{\"metadata\":{\"annotations\":{\"team\":\"platform\",\"gone\":null}},\"data\":{\"k\":\"v\"}}");
  }

  @Test
  void strategicMergeOfAListOfObjectsIsRefused() throws Exception {
    JsonNode patch = JSON.readTree("""
        {"spec":{"template":{"spec":{"containers":[{"name":"issuer","image":"x"}]}}}}""");
    assertThatThrownBy(() -> StrategicMergePatches.toMergePatch(patch))
        .isInstanceOf(StrategicMergePatches.Unsupported.class)
        .hasMessageContaining(".spec.template.spec.containers");
    JsonNode delete = JSON.readTree("{\"data\":{\"$patch\":\"delete\"}}");
    assertThatThrownBy(() -> StrategicMergePatches.toMergePatch(delete))
        .isInstanceOf(StrategicMergePatches.Unsupported.class).hasMessageContaining("$patch");
  }

  @Test
  void agesReadAsInKubectl() {
    assertThat(TableConverter.humanDuration(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(TableConverter.humanDuration(Duration.ofSeconds(192))).isEqualTo("3m12s");
    assertThat(TableConverter.humanDuration(Duration.ofMinutes(302))).isEqualTo("5h2m");
    assertThat(TableConverter.humanDuration(Duration.ofHours(76))).isEqualTo("3d4h");
    assertThat(TableConverter.humanDuration(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
  }

  @Test
  void resourcePathsSplitIntoTheirParts() {
    assertThat(ResourcePath.parse("/apis/macp.io/v1alpha1/namespaces/ns/macpissuers/a/status"))
        .contains(new ResourcePath("macp.io", "v1alpha1", "ns", "macpissuers", "a", "status"));
    assertThat(ResourcePath.parse("/api/v1/namespaces/ns"))
        .contains(new ResourcePath("", "v1", null, "namespaces", "ns", null));
    assertThat(ResourcePath.parse("/api/v1/secrets"))
        .contains(new ResourcePath("", "v1", null, "secrets", null, null));
    assertThat(ResourcePath.parse("/version")).isEmpty();
  }
}
