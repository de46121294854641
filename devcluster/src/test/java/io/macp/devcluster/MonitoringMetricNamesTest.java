package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.security.policy.DenialReason;
import io.macp.issuer.security.SecurityMetrics;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.KeySetPlanner;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.RotationRequests;
import io.macp.operator.MacpOperatorFactory;
import io.macp.operator.reconciler.IssuerConditions;
import io.macp.operator.reconciler.IssuerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric name the alert rules and the Grafana dashboard query is one the code exports. The
 * exported names come from scrapes, not from a list: the operator's registry after a reconcile's
 * worth of calls, and a real issuer on 127.0.0.1 answering mints and JWKS requests (plus the mint
 * gate's counters, which appear only after a denial). It lives here because the dev cluster is
 * the module with both the operator and a runnable issuer on its classpath.
 */
class MonitoringMetricNamesTest {
  private static final Pattern METRIC = Pattern.compile("\\b(macp_[a-z0-9_]+)\\b");
  /** Surefire runs in devcluster/; the kit lives in the repository's deploy/monitoring/. */
  private static final Path KIT = Path.of("..", "deploy", "monitoring");
  private static final Path DASHBOARD = KIT.resolve("macp-issuer-dashboard.json");

  @TempDir Path dir;

  @Test
  void everyQueriedMetricIsExported() throws Exception {
    Set<String> exported = new TreeSet<>();
    exported.addAll(names(operatorScrape()));
    exported.addAll(names(issuerScrape()));
    exported.addAll(names(mintGateScrape()));

    Set<String> queried = new TreeSet<>();
    queried.addAll(metricsIn(ruleExpressions()));
    queried.addAll(metricsIn(dashboardExpressions()));
    // sanity: the extraction found the queries (an empty set would pass vacuously)
    assertThat(queried).hasSizeGreaterThan(20)
        .contains("macp_issuer_ready", "macp_operator_leader", "macp_issuer_mints_total",
            "macp_issuer_mint_duration_seconds_bucket", "macp_issuer_rotations_total");
    assertThat(exported).containsAll(queried);
  }

  @Test
  void aMisspelledMetricWouldBeCaught() throws Exception {
    Set<String> exported = names(operatorScrape());
    assertThat(exported).doesNotContain("macp_issuer_rotation_total");
    assertThat(metricsIn(List.of("increase(macp_issuer_rotation_total[5m])")))
        .containsExactly("macp_issuer_rotation_total");
  }

  @Test
  void theOperatorsIssuerSeriesCarryNamespaceAndName() {
    for (String line : operatorScrape().split("\n")) {
      if (line.startsWith("macp_issuer_")) {
        assertThat(line).as(line).contains("namespace=\"team\"").contains("name=\"auth\"");
      }
    }
  }

  private static String operatorScrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Instant now = Instant.now();
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build()).build()) {
      MacpOperatorFactory.create(client, registry, Clock.systemUTC(), true); // built, not started
    }
    IssuerMetrics metrics = new IssuerMetrics(registry, Clock.systemUTC());
    metrics.keys("team", "auth", keySet(now), RotationPolicy.DEFAULTS, now);
    metrics.conditions("team", "auth", IssuerMetrics.CONDITION_GAUGES.keySet().stream()
        .map(type -> new ConditionBuilder().withType(type).withStatus(IssuerConditions.TRUE).build())
        .toList());
    for (IssuerMetrics.Trigger t : IssuerMetrics.Trigger.values()) {
      metrics.rotation("team", "auth", t, true);
      metrics.rotation("team", "auth", t, false);
    }
    return registry.scrape();
  }

  private String issuerScrape() throws IOException, InterruptedException {
    Path keys = dir.resolve("keyset.json");
    Files.writeString(keys, KeySetJson.write(keySet(Instant.now())));
    IssuerConfig config = IssuerConfig.fromEnv(Map.of(
        "PORT", "0",
        "MACP_AUTH_BIND_ADDRESS", "127.0.0.1",
        "MACP_AUTH_SIGNING_ALG", "ES256",
        "MACP_AUTH_KEYSET_FILE", keys.toString()));
    try (IssuerServer server = IssuerServer.start(config, Clock.systemUTC())) {
      HttpClient http = HttpClient.newHttpClient();
      URI base = server.baseUri();
      for (String body : List.of("{\"sender\":\"agent://a\"}", "{}")) {
        http.send(HttpRequest.newBuilder(base.resolve("/tokens"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      http.send(HttpRequest.newBuilder(base.resolve("/.well-known/jwks.json")).build(),
          HttpResponse.BodyHandlers.discarding());
      HttpResponse<String> metrics = http.send(
          HttpRequest.newBuilder(server.publicBaseUri().resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      return metrics.body();
    }
  }

  /** The gate registers its counters on first use: every reason, mode and reloaded file once. */
  private static String mintGateScrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SecurityMetrics security = new SecurityMetrics(registry);
    for (DenialReason reason : DenialReason.values()) {
      for (AuthenticationMode mode : AuthenticationMode.values()) {
        security.denied(reason, mode);
      }
    }
    security.reloadFailed("mint-policy");
    security.reloadFailed("tls");
    return registry.scrape();
  }

  private static KeySet keySet(Instant now) {
    return new KeySetPlanner(KeyGenerator.secure()).plan(KeySet.empty(), RotationPolicy.DEFAULTS,
        KeySpec.es256(), now, RotationRequests.NONE).desired();
  }

  private static Set<String> names(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  static Set<String> metricsIn(List<String> expressions) {
    Set<String> names = new TreeSet<>();
    for (String e : expressions) {
      Matcher m = METRIC.matcher(e);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  private static List<String> ruleExpressions() throws IOException {
    JsonNode rule = new YAMLMapper().readTree(KIT.resolve("prometheusrule.yaml").toFile());
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode group : rule.path("spec").path("groups")) {
      group.path("rules").forEach(r -> out.add(r.path("expr").asText()));
    }
    assertThat(out).hasSizeGreaterThanOrEqualTo(13);
    return out;
  }

  private static List<String> dashboardExpressions() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panel.path("targets").forEach(t -> out.add(t.path("expr").asText()));
    }
    dashboard.path("templating").path("list").forEach(v -> out.add(v.path("definition").asText()));
    assertThat(out).hasSizeGreaterThan(15);
    return out;
  }
}
