package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Declared verifiers in the embedded cluster, from the shipped example: examples/macp-runtime.yaml
 * (its MacpIssuer selects its runtime Deployment) is applied as a user would, the operator checks
 * the runtime and reports VerifiersConfigured=True; a second runtime with an inline JWKS is then
 * named, with what to change.
 */
class EmbeddedDeclaredVerifiersTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String NS = ManifestApplier.DEFAULT_NAMESPACE;

  static final String INLINE_RUNTIME = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: rt-inline
        namespace: default
        labels:
          app.kubernetes.io/name: macp-runtime
      spec:
        selector:
          matchLabels:
            app: rt-inline
        template:
          metadata:
            labels:
              app: rt-inline
          spec:
            containers:
              - name: runtime
                image: macp-runtime
                env:
                  - name: MACP_AUTH_JWKS_JSON
                    value: '{"keys":[]}'
      """;

  @Test
  void theRuntimeExamplePassesAndAnInlineJwksRuntimeIsNamed() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifests(List.of(ProjectFiles.examples().resolve("macp-runtime.yaml")))
        .workingDir(Path.of(""))
        .seed(13)
        .issuers(InProcessIssuerLauncher.create(Clock.systemUTC()))
        .start()) {
      KubernetesClient client = cluster.client();
      Condition ok = awaitCondition(client, c -> "True".equals(c.getStatus()));
      assertThat(ok.getReason()).isEqualTo("Configured");
      assertThat(status(client).getDeclaredVerifiers().getWorkloads()).isEqualTo(1);

      cluster.apply(INLINE_RUNTIME);
      // a new generation re-reads the workloads at once (otherwise within the reader's minute)
      // (a merge patch: the mock stores no defaults, so a JSON patch of a defaulted field fails)
      client.resources(MacpIssuer.class).inNamespace(NS).withName("macp-auth")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"tokens\":{\"defaultTtl\":\"4m\"}}}");
      Condition inline = awaitCondition(client, c -> "False".equals(c.getStatus()));
      assertThat(inline.getReason()).isEqualTo("InlineJwks");
      assertThat(inline.getMessage()).contains("Deployment/rt-inline container runtime",
          "remove MACP_AUTH_JWKS_JSON and set MACP_AUTH_JWKS_URL=http://macp-auth.default.svc:3201"
              + "/.well-known/jwks.json");
      assertThat(status(client).getDeclaredVerifiers().getWorkloads()).isEqualTo(2);
    }
  }

  private static MacpIssuerStatus status(KubernetesClient client) {
    MacpIssuer issuer =
        client.resources(MacpIssuer.class).inNamespace(NS).withName("macp-auth").get();
    return issuer == null ? null : issuer.getStatus();
  }

  private static Condition awaitCondition(KubernetesClient client,
      java.util.function.Predicate<Condition> until) {
    return await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
            Optional.ofNullable(status(client)).flatMap(s -> s.getConditions().stream()
                .filter(c -> "VerifiersConfigured".equals(c.getType())).findFirst()).orElse(null),
        c -> c != null && until.test(c));
  }
}
