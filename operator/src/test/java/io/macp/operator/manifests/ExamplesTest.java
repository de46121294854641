package io.macp.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.api.MintPolicyDocument;
import io.macp.keyset.Durations;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.SigningAlgorithm;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import io.macp.operator.model.v1alpha1.RotationSpec;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.resources.IssuerNetworkPolicyBuilder;
import io.macp.operator.policy.MintPolicyRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples say what the docs promise, as the operator reads them. That the committed CRD
 * accepts each exactly as kubectl apply would see it: CrdAgreesWithOperatorTest (devcluster, where
 * the admission model lives); the model's defaults equal the CRD's: ModelDefaultsTest.
 */
class ExamplesTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static Stream<Path> exampleFiles() throws IOException {
    try (Stream<Path> files = Files.list(ProjectFiles.examples())) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  static List<JsonNode> issuersIn(Path file) {
    return ProjectFiles.yamlDocuments(file).stream()
        .filter(doc -> doc.path("kind").asText().equals("MacpIssuer"))
        .toList();
  }

  /** The MacpIssuer of a file that holds exactly one, defaulted as the operator reads it. */
  static MacpIssuer storedIssuer(String fileName) {
    List<JsonNode> issuers = issuersIn(ProjectFiles.examples().resolve(fileName));
    assertThat(issuers).as(fileName).hasSize(1);
    return SERIALIZATION.convertValue(issuers.get(0), MacpIssuer.class);
  }

  @Test
  void theDocumentedExamplesExist() throws IOException {
    assertThat(exampleFiles().map(f -> f.getFileName().toString()))
        .contains(
            "quickstart.yaml", "es256.yaml", "production.yaml", "fast-rotation.yaml",
            "macp-runtime.yaml", "secure-mint.yaml");
  }

  @ParameterizedTest
  @MethodSource("exampleFiles")
  void everyExampleHoldsAMacpIssuer(Path file) {
    assertThat(issuersIn(file)).as("%s holds a MacpIssuer", file.getFileName()).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("exampleFiles")
  void examplesAreNamespaceLessSoTheyApplyAnywhere(Path file) {
    for (JsonNode doc : ProjectFiles.yamlDocuments(file)) {
      assertThat(doc.path("metadata").has("namespace"))
          .as("%s: %s has metadata.namespace", file.getFileName(), doc.path("kind").asText())
          .isFalse();
    }
  }

  /** The keyset's own validation agrees with the CRD on every example. */
  @ParameterizedTest
  @MethodSource("exampleFiles")
  void everyExampleIsAUsableKeyTimeline(Path file) {
    for (JsonNode doc : issuersIn(file)) {
      MacpIssuer issuer = SERIALIZATION.convertValue(doc, MacpIssuer.class);
      MacpIssuerSpec spec = issuer.getSpec();
      assertThat(rotationPolicy(spec).problems()).as("%s", file.getFileName()).isEmpty();
      KeySpec.of(SigningAlgorithm.parse(spec.getSigning().getAlgorithm()),
          spec.getSigning().getRsaKeySize());
    }
  }

  @Test
  void fastRotationIsTheDocumentedDemo() {
    MacpIssuerSpec spec = storedIssuer("fast-rotation.yaml").getSpec();
    RotationSpec rotation = spec.getRotation();
    assertThat(spec.getReplicas()).isEqualTo(2);
    assertThat(rotation.getPeriod()).isEqualTo("30s");
    assertThat(rotation.getVerifierCacheTtl()).isEqualTo("5s");
    assertThat(rotation.getVerifierStaleGrace()).isEqualTo("0s");
    assertThat(rotation.getPropagationDelay()).isEqualTo("2s");
    assertThat(rotation.getClockSkew()).isEqualTo("1s");
    assertThat(spec.getTokens().getMaxTtl()).isEqualTo("20s");
    assertThat(Durations.parse(spec.getTokens().getDefaultTtl()))
        .isLessThanOrEqualTo(Durations.parse("20s"));
  }

  @Test
  void productionRunsThreeSpreadReplicasWithALongPeriod() {
    MacpIssuer production = storedIssuer("production.yaml");
    MacpIssuerSpec spec = production.getSpec();
    assertThat(spec.getReplicas()).isEqualTo(3);
    assertThat(Durations.parse(spec.getRotation().getPeriod()))
        .isGreaterThanOrEqualTo(Durations.parse("168h"));
    assertThat(spec.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(spec.getResources().getLimits()).containsKey("memory");
    // the anti-affinity must select this issuer's own pods, or it spreads nothing
    Map<String, String> podLabels = IssuerNames.podSelector(production);
    assertThat(spec.getAffinity().getPodAntiAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution())
        .isNotEmpty()
        .allSatisfy(term -> assertThat(podLabels)
            .containsAllEntriesOf(term.getPodAffinityTerm().getLabelSelector().getMatchLabels()));
  }

  @Test
  void es256ExampleSignsWithEs256() {
    assertThat(storedIssuer("es256.yaml").getSpec().getSigning().getAlgorithm()).isEqualTo("ES256");
  }

  /** The secure example locks the mint down in every way spec.mint offers, as the issuer reads it. */
  @Test
  void secureMintAuthenticatesBindsFiltersAndEncrypts() throws Exception {
    MacpIssuer issuer = storedIssuer("secure-mint.yaml");
    issuer.getMetadata().setNamespace("team-a");
    MintSpec mint = issuer.getSpec().getMint();
    assertThat(mint.getAuthentication()).isEqualTo("SharedSecret");
    assertThat(mint.getSharedSecretRef()).isEqualTo("secure-mint-tokens");
    assertThat(mint.getTls().getSecretName()).isEqualTo("secure-mint-tls");
    assertThat(mint.getAllowedFrom()).hasSize(2);
    assertThat(mint.getClients()).allSatisfy(c -> {
      assertThat(c.getMaxTtl()).isNotNull();
      assertThat(c.getRateLimit()).isNotNull();
      assertThat(c.getScopes().getCanManageModeRegistry()).isFalse();
    });
    // the issuer reading it: SecureMintExampleIssuerTest (devcluster, which sees the issuer)
    MintPolicyDocument policy = MintPolicyDocument.parse(MintPolicyRenderer.render(issuer));
    policy.validate();
    assertThat(policy.authentication()).isEqualTo(AuthenticationMode.SHARED_SECRET);
    assertThat(policy.clients().get(0).sharedSecret()).isEqualTo("orchestrator");
    // the minters only: verifiers reach the JWKS on the public port, open to every source
    assertThat(IssuerNetworkPolicyBuilder.build(issuer).getSpec().getIngress().get(0).getFrom())
        .hasSize(2);
    assertThat(IssuerNetworkPolicyBuilder.build(issuer).getSpec().getIngress().get(1).getFrom())
        .isNullOrEmpty();
    // the commented cert-manager Certificate writes the Secret the issuer mounts
    assertThat(Files.readString(ProjectFiles.examples().resolve("secure-mint.yaml")))
        .contains("#   secretName: secure-mint-tls");
    // no token in the example: only the command that makes them
    assertThat(ProjectFiles.yamlDocuments(ProjectFiles.examples().resolve("secure-mint.yaml")))
        .noneSatisfy(d -> assertThat(d.path("kind").asText()).isEqualTo("Secret"));
  }

  /** The runtime's four variables must match the issuer in the same file, or no token verifies. */
  @Test
  void macpRuntimeIsWiredToItsIssuer() {
    Path file = ProjectFiles.examples().resolve("macp-runtime.yaml");
    MacpIssuer issuer = storedIssuer("macp-runtime.yaml");
    MacpIssuerSpec spec = issuer.getSpec();
    assertThat(spec.getIssuer()).as("the example relies on the default issuer URL").isNull();
    String name = issuer.getMetadata().getName();
    String serviceUrl = "http://" + name + ".$(POD_NAMESPACE).svc:" + spec.getService().getPort();

    List<Deployment> deployments = ProjectFiles.yamlDocuments(file).stream()
        .filter(doc -> doc.path("kind").asText().equals("Deployment"))
        .map(doc -> SERIALIZATION.convertValue(doc, Deployment.class))
        .toList();
    assertThat(deployments).hasSize(1);
    List<EnvVar> envList =
        deployments.get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    Map<String, String> env = envList.stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    // $(POD_NAMESPACE) expands only when POD_NAMESPACE is defined earlier in the list
    assertThat(envList.get(0).getName()).isEqualTo("POD_NAMESPACE");
    assertThat(envList.get(0).getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");

    assertThat(env).containsEntry("MACP_AUTH_ISSUER", serviceUrl);
    assertThat(env).containsEntry("MACP_AUTH_AUDIENCE", spec.getAudience());
    String publicUrl =
        "http://" + name + ".$(POD_NAMESPACE).svc:" + spec.getService().getPublicPort();
    assertThat(env).containsEntry("MACP_AUTH_JWKS_URL", publicUrl + "/.well-known/jwks.json");
    assertThat(env).containsEntry("MACP_AUTH_JWKS_TTL_SECS",
        Long.toString(Durations.parse(spec.getRotation().getVerifierCacheTtl()).toSeconds()));
  }

  /** The example's spec.verifiers selects its runtime, and the check finds nothing wrong. */
  @Test
  void macpRuntimePassesTheDeclaredVerifierCheckOfItsIssuer() {
    Path file = ProjectFiles.examples().resolve("macp-runtime.yaml");
    MacpIssuer issuer = storedIssuer("macp-runtime.yaml");
    issuer.getMetadata().setNamespace("team-a");
    io.macp.operator.policy.IssuerPolicy policy =
        io.macp.operator.policy.IssuerSpecValidator.policyOf(issuer);
    Deployment runtime = ProjectFiles.yamlDocuments(file).stream()
        .filter(doc -> doc.path("kind").asText().equals("Deployment"))
        .map(doc -> SERIALIZATION.convertValue(doc, Deployment.class))
        .findFirst().orElseThrow();
    assertThat(policy.verifierSelector()).as("the example sets spec.verifiers").isNotNull();
    assertThat(policy.verifierSelector().matchExpressions()).isEmpty();
    assertThat(runtime.getMetadata().getLabels())
        .containsAllEntriesOf(policy.verifierSelector().matchLabels());
    var result = io.macp.operator.verifiers.DeclaredVerifierCheck.check(
        new io.macp.operator.verifiers.DeclaredVerifierCheck.Expectations(
            policy.rotation().verifierCacheTtl(), policy.rotation().verifierStaleGrace(),
            io.macp.operator.policy.IssuerEndpoints.jwksUrl(issuer), policy.issuerClaim(),
            issuer.getSpec().getAudience()),
        "team-a", policy.verifierSelector().describe(),
        List.of(new io.macp.operator.verifiers.DeclaredVerifierCheck.Workload("Deployment",
            runtime.getMetadata().getName(), "team-a", runtime.getSpec().getTemplate().getSpec())),
        io.macp.operator.verifiers.DeclaredVerifierCheck.ConfigMaps.NONE);
    assertThat(result.workloads()).isEqualTo(1);
    assertThat(result.findings()).isEmpty();
  }

  static RotationPolicy rotationPolicy(MacpIssuerSpec spec) {
    RotationSpec r = spec.getRotation();
    return new RotationPolicy(
        Durations.parse(r.getPeriod()),
        Durations.parse(r.getVerifierCacheTtl()),
        Durations.parse(r.getVerifierStaleGrace()),
        Durations.parse(r.getPropagationDelay()),
        Durations.parse(r.getClockSkew()),
        Durations.parse(spec.getTokens().getMaxTtl()));
  }

  static ObjectNode quickstart() {
    return (ObjectNode) issuersIn(ProjectFiles.examples().resolve("quickstart.yaml")).get(0);
  }
}
