package io.macp.operator.verifiers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.macp.operator.MockServerRequests;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.VerifierSelector;
import io.macp.operator.resources.IssuerNames;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link DeclaredVerifierReader} reads on the CRUD mock: the three kinds by the selector in
 * the issuer's namespace, the ConfigMaps referenced (never a Secret), the operator's own objects
 * skipped, and at most one read per issuer per minute unless the selector or generation changes.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class DeclaredVerifierReaderTest {
  static final String NS = "team-a";
  KubernetesClient client;
  KubernetesMockServer server;

  static final VerifierSelector SELECTOR = selector("macp-runtime");

  static VerifierSelector selector(String app) {
    List<String> problems = new ArrayList<>();
    VerifierSelector s = VerifierSelector.parse("s",
        new LabelSelectorBuilder().addToMatchLabels("app", app).build(), problems);
    assertThat(problems).isEmpty();
    return s;
  }

  static MacpIssuer issuer(long generation) {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withName("auth").withNamespace(NS)
        .withGeneration(generation).build());
    return issuer;
  }

  @Test
  void readsTheSelectedWorkloadsAndTheirConfigMapsButNeverSecrets() throws Exception {
    client.resource(new DeploymentBuilder().withNewMetadata().withName("rt").withNamespace(NS)
        .addToLabels("app", "macp-runtime").endMetadata().withNewSpec().withNewTemplate()
        .withNewSpec().addNewContainer().withName("runtime")
        .addNewEnvFrom().withNewConfigMapRef().withName("rt-config").endConfigMapRef().endEnvFrom()
        .addNewEnvFrom().withNewSecretRef().withName("rt-secret").endSecretRef().endEnvFrom()
        .endContainer().endSpec().endTemplate().endSpec().build()).create();
    client.resource(new DaemonSetBuilder().withNewMetadata().withName("rt-node")
        .withNamespace(NS).addToLabels("app", "macp-runtime").endMetadata().withNewSpec()
        .withNewTemplate().withNewSpec().addNewContainer().withName("runtime").endContainer()
        .endSpec().endTemplate().endSpec().build()).create();
    // the operator's own Deployment, even if the selector matches it, and another app
    client.resource(new DeploymentBuilder().withNewMetadata().withName("auth").withNamespace(NS)
        .addToLabels("app", "macp-runtime")
        .addToLabels(IssuerNames.MANAGED_BY_LABEL, IssuerNames.MANAGED_BY).endMetadata()
        .withNewSpec().endSpec().build()).create();
    client.resource(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(NS)
        .addToLabels("app", "web").endMetadata().withNewSpec().endSpec().build()).create();
    client.resource(new DeploymentBuilder().withNewMetadata().withName("rt").withNamespace("other")
        .addToLabels("app", "macp-runtime").endMetadata().withNewSpec().endSpec().build()).create();
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("rt-config").withNamespace(NS)
        .endMetadata().addToData("MACP_AUTH_JWKS_TTL_SECS", "60").build()).create();
    drain();

    DeclaredVerifierReader reader = new DeclaredVerifierReader(Clock.systemUTC());
    DeclaredVerifierReader.Read read = reader.read(client, issuer(1), SELECTOR);
    assertThat(read).isInstanceOf(DeclaredVerifierReader.Listed.class);
    DeclaredVerifierReader.Listed listed = (DeclaredVerifierReader.Listed) read;
    assertThat(listed.workloads()).extracting(DeclaredVerifierCheck.Workload::ref)
        .containsExactlyInAnyOrder("Deployment/rt", "DaemonSet/rt-node");
    assertThat(listed.configMaps().found()).containsOnlyKeys("rt-config");
    assertThat(listed.truncated()).isFalse();

    List<String> paths = drain();
    assertThat(paths).hasSize(4).allSatisfy(p -> assertThat(p).contains("/namespaces/" + NS + "/"))
        .noneMatch(p -> p.contains("/secrets"));
    assertThat(paths).filteredOn(p -> !p.contains("/configmaps/"))
        .allSatisfy(p -> assertThat(p).contains("labelSelector=app%3Dmacp-runtime"));
  }

  @Test
  void readsAtMostOncePerMinuteUnlessTheSelectorOrGenerationChanges() throws Exception {
    Instant[] now = {Instant.parse("2026-11-30T07:00:00Z")};
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    DeclaredVerifierReader reader = new DeclaredVerifierReader(clock);
    drain();
    reader.read(client, issuer(1), SELECTOR);
    assertThat(drain()).as("three lists").hasSize(3);
    now[0] = now[0].plusSeconds(59);
    reader.read(client, issuer(1), SELECTOR);
    assertThat(drain()).as("kept for a minute").isEmpty();
    reader.read(client, issuer(2), SELECTOR);
    assertThat(drain()).as("a new generation reads again").hasSize(3);
    reader.read(client, issuer(2), selector("other"));
    assertThat(drain()).as("a new selector reads again").hasSize(3);
    now[0] = now[0].plus(DeclaredVerifierReader.CACHE_FOR);
    reader.read(client, issuer(2), selector("other"));
    assertThat(drain()).as("a minute later").hasSize(3);
    reader.forget(issuer(2));
    reader.read(client, issuer(2), selector("other"));
    assertThat(drain()).as("forgotten").hasSize(3);
  }

  private List<String> drain() throws InterruptedException {
    return MockServerRequests.drain(server, Duration.ofMillis(100)).stream()
        .map(r -> r.getMethod() + " " + r.getPath()).toList();
  }
}
