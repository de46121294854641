package io.macp.devcluster.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.macp.keyset.Durations;
import io.macp.keyset.RotationPolicy;
import io.macp.operator.crd.ProjectFiles;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the committed CRD refuses, with which message, and what it stores. */
class CrdValidationTest {
  private static final CrdAdmission CRD = new CrdAdmission(ProjectFiles.crd());

  private static ObjectNode issuer(String specYaml) {
    return (ObjectNode) ProjectFiles.yamlDocument(
        "apiVersion: macp.io/v1alpha1\nkind: MacpIssuer\nmetadata:\n  name: test\nspec:\n"
            + specYaml.indent(2));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("period shorter than the lead time 1h8m",
            "rotation:\n  period: 1h\n", "spec.rotation", "at least the lead time"),
        Arguments.of("lead time of a demo with a stale grace",
            "rotation:\n  period: 30s\n  verifierCacheTtl: 5s\n  propagationDelay: 2s\n"
                + "  clockSkew: 1s\n  verifierStaleGrace: 1m\n",
            "spec.rotation", "at least the lead time"),
        Arguments.of("issue input 6: maxTtl 720h with period 1h8m holds ~638 keys",
            "tokens:\n  maxTtl: 720h\nrotation:\n  period: 1h8m\n", "spec",
            "more than 10 keys"),
        Arguments.of("one key over the bound: 2 + ceil((8h + 1m) / 1h8m) = 10 is fine, 12h is not",
            "tokens:\n  maxTtl: 12h\nrotation:\n  period: 1h8m\n", "spec", "more than 10 keys"),
        Arguments.of("zero period", "rotation: {period: 0s, verifierCacheTtl: 0s,"
                + " verifierStaleGrace: 0s, propagationDelay: 0s, clockSkew: 0s}\n",
            "spec.rotation", "longer than 0s"),
        Arguments.of("activation gate hold longer than 24h",
            "rotation:\n  activationGate: {mode: Hold, maxHold: 25h}\n",
            "spec.rotation.activationGate", "at most 24h"),
        Arguments.of("unknown activation gate mode",
            "rotation:\n  activationGate: {mode: Block}\n",
            "spec.rotation.activationGate.mode", "Unsupported value"),
        Arguments.of("activation gate maxHold in days",
            "rotation:\n  activationGate: {mode: Hold, maxHold: 1d}\n",
            "spec.rotation.activationGate.maxHold", "should match"),
        Arguments.of("days are not a Go duration unit",
            "rotation:\n  period: 7d\n", "spec.rotation.period", "should match"),
        Arguments.of("a bare number is not a duration",
            "tokens:\n  maxTtl: \"3600\"\n", "spec.tokens.maxTtl", "should match"),
        Arguments.of("duration as a number", "tokens:\n  maxTtl: 3600\n",
            "spec.tokens.maxTtl", "must be of type string"),
        Arguments.of("defaultTtl above maxTtl", "tokens:\n  defaultTtl: 2h\n",
            "spec.tokens", "must not be longer than tokens.maxTtl"),
        Arguments.of("maxTtl below 1s", "tokens:\n  defaultTtl: 500ms\n  maxTtl: 500ms\n",
            "spec.tokens", "at least 1s"),
        Arguments.of("unsupported algorithm", "signing:\n  algorithm: RS512\n",
            "spec.signing.algorithm", "Unsupported value"),
        Arguments.of("weak RSA key", "signing:\n  rsaKeySize: 1024\n",
            "spec.signing.rsaKeySize", "Unsupported value"),
        Arguments.of("no replicas", "replicas: 0\n", "spec.replicas", "greater than or equal to 1"),
        Arguments.of("replicas as text", "replicas: two\n", "spec.replicas", "of type integer"),
        Arguments.of("ExternalName service", "service:\n  type: ExternalName\n",
            "spec.service.type", "Unsupported value"),
        Arguments.of("port out of range", "service:\n  port: 70000\n",
            "spec.service.port", "less than or equal to 65535"),
        Arguments.of("public port out of range", "service:\n  publicPort: 0\n",
            "spec.service.publicPort", "greater than or equal to 1"),
        Arguments.of("public port equal to the main port", "service:\n  publicPort: 3200\n",
            "spec.service", "publicPort must differ from port"),
        Arguments.of("public port equal to a moved main port",
            "service:\n  port: 8080\n  publicPort: 8080\n",
            "spec.service", "publicPort must differ from port"),
        Arguments.of("misspelled field", "rotation:\n  perod: 48h\n",
            "spec.rotation.perod", "unknown field"),
        Arguments.of("key material is not policy", "privateKey: \"-----BEGIN PRIVATE KEY-----\"\n",
            "spec.privateKey", "unknown field"),
        Arguments.of("empty audience", "audience: \"\"\n", "spec.audience", "at least 1 chars"),
        Arguments.of("retainKeysOnDelete as text", "retainKeysOnDelete: \"yes\"\n",
            "spec.retainKeysOnDelete", "of type boolean"),
        Arguments.of("unknown authentication mode", "mint: {authentication: Anonymous}\n",
            "spec.mint.authentication", "Unsupported value"),
        Arguments.of("SharedSecret without its Secret",
            "mint:\n  authentication: SharedSecret\n  clients: [{sharedSecret: a, senders: [x]}]\n",
            "spec.mint", "sharedSecretRef (the Secret holding the bearer tokens) is required"),
        Arguments.of("a token Secret without SharedSecret",
            "mint: {sharedSecretRef: tokens}\n", "spec.mint", "only used with authentication SharedSecret"),
        Arguments.of("authenticated mode without clients",
            "mint: {authentication: ServiceAccount}\n", "spec.mint", "at least one caller"),
        Arguments.of("ServiceAccount client in SharedSecret mode",
            "mint:\n  authentication: SharedSecret\n  sharedSecretRef: t\n"
                + "  clients: [{serviceAccount: ns/sa, senders: [x]}]\n",
            "spec.mint", "needs authentication ServiceAccount"),
        Arguments.of("clients with None",
            "mint:\n  clients: [{sharedSecret: a, senders: [x]}]\n",
            "spec.mint", "needs authentication SharedSecret"),
        Arguments.of("a client bound twice",
            "mint:\n  authentication: ServiceAccount\n  clients:\n"
                + "  - {serviceAccount: ns/sa, senders: [x]}\n  - {serviceAccount: ns/sa, senders: [y]}\n",
            "spec.mint", "same caller twice"),
        Arguments.of("a client with two identities",
            "mint:\n  authentication: ServiceAccount\n"
                + "  clients: [{serviceAccount: ns/sa, sharedSecret: a, senders: [x]}]\n",
            "spec.mint.clients[0]", "exactly one identity"),
        Arguments.of("a client without senders",
            "mint:\n  authentication: ServiceAccount\n  clients: [{serviceAccount: ns/sa}]\n",
            "spec.mint.clients[0].senders", "Required value"),
        Arguments.of("a ServiceAccount without namespace",
            "mint:\n  authentication: ServiceAccount\n  clients: [{serviceAccount: sa, senders: [x]}]\n",
            "spec.mint.clients[0].serviceAccount", "should match"),
        Arguments.of("a client TTL in days",
            "mint:\n  authentication: ServiceAccount\n"
                + "  clients: [{serviceAccount: ns/sa, senders: [x], maxTtl: 1d}]\n",
            "spec.mint.clients[0].maxTtl", "should match"),
        Arguments.of("a rate of zero",
            "mint:\n  authentication: ServiceAccount\n  clients: [{serviceAccount: ns/sa,"
                + " senders: [x], rateLimit: {requestsPerSecond: 0, burst: 1}}]\n",
            "spec.mint.clients[0].rateLimit.requestsPerSecond", "greater than 0"),
        Arguments.of("an empty allowed mode list",
            "mint:\n  authentication: ServiceAccount\n  clients: [{serviceAccount: ns/sa,"
                + " senders: [x], scopes: {allowedModes: []}}]\n",
            "spec.mint.clients[0].scopes.allowedModes", "at least 1 items"),
        Arguments.of("an empty allowedFrom, which would admit everyone",
            "mint: {allowedFrom: []}\n", "spec.mint.allowedFrom", "at least 1 items"),
        Arguments.of("an allowedFrom peer without selectors",
            "mint: {allowedFrom: [{}]}\n", "spec.mint.allowedFrom[0]", "namespaceSelector"),
        Arguments.of("TLS without a Secret", "mint: {tls: {}}\n",
            "spec.mint.tls.secretName", "Required value"),
        Arguments.of("declared verifiers without a selector", "verifiers: {}\n",
            "spec.verifiers.selector", "Required value"),
        Arguments.of("declared verifiers with an empty selector, which would read every"
                + " workload of the namespace", "verifiers: {selector: {}}\n",
            "spec.verifiers", "at least one label"),
        Arguments.of("user report: replicas 100000 started thousands of issuers",
            "replicas: 100000\n", "spec.replicas", "less than or equal to 32"),
        Arguments.of("one replica over the activation gate's reach", "replicas: 33\n",
            "spec.replicas", "less than or equal to 32"),
        Arguments.of("user report: NUL and newline in issuer",
            "issuer: \"http://x/\\n\\u0000evil\"\n", "spec.issuer",
            "must not contain control characters"),
        Arguments.of("user report: NUL and newline in audience",
            "audience: \"aud\\u0000\\nX\"\n", "spec.audience",
            "must not contain control characters"),
        Arguments.of("a tab in the image", "image: \"ghcr.io/x\\tissuer\"\n", "spec.image",
            "must not contain control characters"),
        Arguments.of("a C1 control in the audience", "audience: \"aud\\u0085\"\n",
            "spec.audience", "must not contain control characters"),
        Arguments.of("a newline in a sender pattern",
            "mint:\n  authentication: ServiceAccount\n"
                + "  clients: [{serviceAccount: ns/sa, senders: [\"agent://a\\nb\"]}]\n",
            "spec.mint.clients[0].senders", "must not contain control characters"),
        Arguments.of("a DEL in an allowed mode",
            "mint:\n  authentication: ServiceAccount\n  clients: [{serviceAccount: ns/sa,"
                + " senders: [x], scopes: {allowedModes: [\"m\\u007f\"]}}]\n",
            "spec.mint.clients[0].scopes.allowedModes", "must not contain control characters"),
        Arguments.of("a priorityClassName that is no object name",
            "priorityClassName: \"high\\npriority\"\n", "spec.priorityClassName",
            "should match"),
        Arguments.of("too many tolerations", "tolerations: [" + "{operator: Exists},".repeat(33)
            + "]\n", "spec.tolerations", "must have at most 32 items"),
        Arguments.of("too many pod labels", "podLabels: {"
            + java.util.stream.IntStream.range(0, 65).mapToObj(i -> "l" + i + ": v")
                .collect(java.util.stream.Collectors.joining(", ")) + "}\n",
            "spec.podLabels", "must have at most 64 properties"),
        Arguments.of("a client TTL beyond a year",
            "mint:\n  authentication: ServiceAccount\n"
                + "  clients: [{serviceAccount: ns/sa, senders: [x], maxTtl: 9000h}]\n",
            "spec.mint.clients[0].maxTtl", "at most 8760h"),
        Arguments.of("declared verifiers with empty label lists",
            "verifiers: {selector: {matchLabels: {}, matchExpressions: []}}\n",
            "spec.verifiers", "at least one label"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWithAMessageNamingTheField(
      String why, String specYaml, String field, String message) {
    CrdAdmission.Result result = CRD.admit(issuer(specYaml));
    assertThat(result.accepted()).as(why).isFalse();
    assertThat(result.errors()).as(why)
        .anySatisfy(e -> assertThat(e).startsWith(field + ":").contains(message));
  }

  /**
   * User report: {@code rotation: {period: 999999999h}} gave "invalid duration range" from three
   * CEL rules. Now the field's own rule answers, once, and the rules that read it step aside.
   */
  @ParameterizedTest
  @ValueSource(strings = {"999999999h", "99999999999999999999s", "8761h", "9999999999999ms"})
  void aHugePeriodGivesOneActionableMessage(String period) {
    CrdAdmission.Result result = CRD.admit(issuer("rotation: {period: " + period + "}\n"));
    assertThat(result.errors()).containsExactly("spec.rotation.period: Invalid value: \"object\":"
        + " must be a Go duration of at most 8760h (one year), e.g. 90s, 5m, 24h or 168h");
  }

  @ParameterizedTest
  @ValueSource(strings = {"8760h", "525600m", "31536000s", "1h30m", "5400000ms", "0.5h"})
  void durationsUpToAYearAreAccepted(String maxTtl) {
    CrdAdmission.Result result = CRD.admit(issuer("tokens: {defaultTtl: 1s, maxTtl: " + maxTtl
        + "}\nrotation: {period: 8760h}\n"));
    assertThat(result.errors()).isEmpty();
  }

  @Test
  void replicasUpToTheBoundAreAccepted() {
    assertThat(CRD.admit(issuer("replicas: 32\n")).errors()).isEmpty();
    assertThat(CRD.admit(issuer("audience: \"macp-r\u00fcntime\"\n")).errors()).isEmpty();
  }

  @Test
  void aLockedDownMintIsAccepted() {
    CrdAdmission.Result result = CRD.admit(issuer(String.join("\n",
        "mint:",
        "  authentication: ServiceAccount",
        "  clients:",
        "  - serviceAccount: team-a/orchestrator",
        "    senders: [\"agent://team-a/*\"]",
        "    maxTtl: 15m",
        "    scopes: {canStartSessions: true, maxOpenSessions: 3, allowedModes: [m1]}",
        "    rateLimit: {requestsPerSecond: 0.5, burst: 2}",
        "  - serviceAccount: team-b/bot",
        "    senders: [\"agent://team-b/bot\"]",
        "  allowedFrom:",
        "  - namespaceSelector: {matchLabels: {team: a}}",
        "    podSelector: {matchExpressions: [{key: role, operator: In, values: [orchestrator]}]}",
        "  tls: {secretName: auth-tls}",
        "")));
    assertThat(result.errors()).isEmpty();
  }

  @Test
  void declaredVerifiersWithLabelsOrExpressionsAreAccepted() {
    assertThat(CRD.admit(issuer("verifiers: {selector: {matchLabels: {app: macp-runtime}}}\n"))
        .errors()).isEmpty();
    assertThat(CRD.admit(issuer("verifiers: {selector: {matchExpressions: [{key: app, operator:"
        + " In, values: [rt-a, rt-b]}]}}\n")).errors()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"My-Issuer", "1issuer", "issuer.prod", "issuer-"})
  void refusesNamesThatCannotNameAService(String name) {
    ObjectNode issuer = issuer("{}");
    ((ObjectNode) issuer.get("metadata")).put("name", name);
    assertThat(CRD.admit(issuer).errors())
        .singleElement().asString().contains("DNS-1035 label");
  }

  @Test
  void acceptsTheLongestServiceName() {
    ObjectNode issuer = issuer("{}");
    ((ObjectNode) issuer.get("metadata")).put("name", "a".repeat(63));
    assertThat(CRD.admit(issuer).errors()).isEmpty();
    ((ObjectNode) issuer.get("metadata")).put("name", "a".repeat(64));
    assertThat(CRD.admit(issuer).errors()).singleElement().asString().contains("DNS-1035 label");
  }

  @Test
  void refusesAnotherKindOrVersion() {
    ObjectNode issuer = issuer("{}");
    issuer.put("apiVersion", "macp.io/v1");
    assertThat(CRD.admit(issuer).errors()).containsExactly("apiVersion: must be macp.io/v1alpha1");
  }

  @Test
  void anEmptySpecIsStoredWithEveryDefault() {
    JsonNode spec = CRD.admit(issuer("{}")).stored().get("spec");
    JsonNode expected = ProjectFiles.yamlDocument(String.join("\n",
        "audience: macp-runtime",
        "signing: {algorithm: RS256, rsaKeySize: 2048}",
        "tokens: {defaultTtl: 5m, maxTtl: 1h}",
        "rotation: {period: 24h, verifierCacheTtl: 5m, verifierStaleGrace: 1h,"
            + " propagationDelay: 2m, clockSkew: 1m}",
        "replicas: 2",
        "service: {type: ClusterIP, port: 3200, publicPort: 3201}",
        "retainKeysOnDelete: true",
        "mint: {authentication: None}"));
    assertThat(spec).isEqualTo(expected);
    assertThat(spec.has("issuer")).as("issuer is defaulted by the operator, not the schema").isFalse();
  }

  @Test
  void nestedDefaultsFillAPartlyWrittenObject() {
    JsonNode rotation = CRD.admit(issuer("rotation:\n  period: 48h\n")).stored()
        .path("spec").path("rotation");
    assertThat(rotation.path("period").asText()).isEqualTo("48h");
    assertThat(rotation.path("verifierStaleGrace").asText()).isEqualTo("1h");
  }

  @Test
  void anExplicitNullTakesTheDefault() {
    JsonNode tokens = CRD.admit(issuer("tokens:\n  maxTtl: null\n")).stored().path("spec").path("tokens");
    assertThat(tokens.path("maxTtl").asText()).isEqualTo("1h");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5h", "1h30m", "90m", "5400s", "5400000ms", "1h29m60s"})
  void celAndTheKeysetReadDurationsAlike(String text) throws Exception {
    JsonNode self = JsonNodeFactory.instance.textNode(text);
    String expected = Durations.parse(text).toMillis() + "ms";
    assertThat(CelRules.holds("duration(self) == duration('" + expected + "')", self)).isTrue();
  }

  /**
   * The CRD's lead-time rule and the keyset's RotationPolicy decide alike, so kubectl refuses what
   * the operator would refuse and nothing else.
   */
  @Test
  void leadTimeRuleAgreesWithTheKeysetPolicy() {
    Random random = new Random(20261123L);
    int refused = 0;
    for (int i = 0; i < 300; i++) {
      long[] seconds = new long[5];
      for (int j = 0; j < seconds.length; j++) {
        seconds[j] = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(600);
      }
      seconds[0] = 1 + random.nextInt(2000); // a zero period is covered elsewhere
      String[] d = Stream.of(seconds[0], seconds[1], seconds[2], seconds[3], seconds[4])
          .map(s -> Durations.format(Duration.ofSeconds(s))).toArray(String[]::new);
      ObjectNode issuer = issuer(String.format(
          "tokens: {defaultTtl: 1s, maxTtl: 1s}%nrotation: {period: %s, verifierCacheTtl: %s,"
              + " verifierStaleGrace: %s, propagationDelay: %s, clockSkew: %s}%n",
          (Object[]) d));
      RotationPolicy policy = new RotationPolicy(
          Duration.ofSeconds(seconds[0]), Duration.ofSeconds(seconds[1]),
          Duration.ofSeconds(seconds[2]), Duration.ofSeconds(seconds[3]),
          Duration.ofSeconds(seconds[4]), Duration.ofSeconds(1));
      boolean accepted = CRD.admit(issuer).accepted();
      assertThat(accepted).as("%s vs %s", String.join(",", d), policy.problems())
          .isEqualTo(policy.problems().isEmpty());
      refused += accepted ? 0 : 1;
    }
    assertThat(refused).as("both outcomes are exercised").isBetween(30, 270);
  }
}
