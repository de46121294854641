package io.macp.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.macp.operator.crd.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules of deploy/monitoring/prometheusrule.yaml under the real {@code promtool}: they
 * parse, every unit test in src/test/resources/monitoring/alerts-test.yaml passes, and every alert
 * has a case where it fires and one where it stays silent. Each runbook_url names a heading of
 * docs/operations.md.
 */
class AlertRulesTest {
  static final Path RULE = ProjectFiles.deploy().resolve("monitoring").resolve("prometheusrule.yaml");
  private static final Path TESTS = Path.of("src/test/resources/monitoring/alerts-test.yaml");
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir Path dir;

  /** The PrometheusRule's spec (its `groups`) is exactly a Prometheus rule file. */
  static JsonNode ruleGroups() {
    return ProjectFiles.yamlDocuments(RULE).get(0).path("spec");
  }

  static List<JsonNode> alerts() {
    List<JsonNode> alerts = new ArrayList<>();
    for (JsonNode group : ruleGroups().path("groups")) {
      group.path("rules").forEach(r -> {
        if (r.has("alert")) {
          alerts.add(r);
        }
      });
    }
    return alerts;
  }

  @Test
  void promtoolChecksAndUnitTestsTheRules() throws IOException {
    ObjectNode file = YAML.createObjectNode();
    file.set("groups", ruleGroups().path("groups"));
    YAML.writeValue(dir.resolve("rules.yaml").toFile(), file);
    Files.copy(ProjectFiles.root().resolve("operator").resolve(TESTS), dir.resolve("alerts-test.yaml"));

    ExternalTool.Result check = ExternalTool.PROMTOOL.run(dir, "check", "rules", "rules.yaml");
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: " + countRules() + " rules found");

    ExternalTool.Result test = ExternalTool.PROMTOOL.run(dir, "test", "rules", "alerts-test.yaml");
    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  void aBrokenExpectationFailsPromtool() throws IOException {
    // the unit tests can fail: flip one expected value and promtool must say so
    ObjectNode file = YAML.createObjectNode();
    file.set("groups", ruleGroups().path("groups"));
    YAML.writeValue(dir.resolve("rules.yaml").toFile(), file);
    String tests = Files.readString(ProjectFiles.root().resolve("operator").resolve(TESTS));
    assertThat(tests).contains("severity: critical, job: macp-issuer-operator, namespace: team, name: bad}");
    Files.writeString(dir.resolve("alerts-test.yaml"), tests.replace(
        "severity: critical, job: macp-issuer-operator, namespace: team, name: bad}",
        "severity: warning, job: macp-issuer-operator, namespace: team, name: bad}"));
    ExternalTool.Result test = ExternalTool.PROMTOOL.run(dir, "test", "rules", "alerts-test.yaml");
    assertThat(test.exitCode()).as(test.output()).isNotZero();
    assertThat(test.output()).contains("FAILED");
  }

  @Test
  void everyAlertIsShownFiringAndSilent() {
    JsonNode tests = ProjectFiles.yamlDocuments(ProjectFiles.root().resolve("operator").resolve(TESTS))
        .get(0).path("tests");
    Set<String> firing = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    for (JsonNode test : tests) {
      for (JsonNode t : test.path("alert_rule_test")) {
        (t.path("exp_alerts").isEmpty() ? silent : firing).add(t.path("alertname").asText());
      }
    }
    List<String> names = alerts().stream().map(a -> a.path("alert").asText()).toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(14);
    assertThat(firing).containsAll(names);
    assertThat(silent).containsAll(names);
  }

  @Test
  void everyAlertHasASeverityAndARunbookInOperationsMd() throws IOException {
    Set<String> anchors = MarkdownAnchors.of(ProjectFiles.root().resolve("docs/operations.md"));
    Pattern url = Pattern.compile(
        "https://github\\.com/macp/macp-issuer-operator/blob/main/docs/operations\\.md#([a-z0-9-]+)");
    for (JsonNode alert : alerts()) {
      String name = alert.path("alert").asText();
      assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
      Matcher m = url.matcher(alert.path("annotations").path("runbook_url").asText());
      assertThat(m.matches()).as(name + " runbook_url").isTrue();
      assertThat(anchors).as(name + " runbook anchor").contains(m.group(1));
      assertThat(m.group(1)).isEqualTo(name.toLowerCase());
    }
  }

  private static int countRules() {
    int n = 0;
    for (JsonNode group : ruleGroups().path("groups")) {
      n += group.path("rules").size();
    }
    return n;
  }
}
