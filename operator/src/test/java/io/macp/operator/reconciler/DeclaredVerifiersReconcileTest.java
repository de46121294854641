package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.macp.operator.MockServerRequests;
import io.macp.operator.model.v1alpha1.DeclaredVerifierFinding;
import io.macp.operator.model.v1alpha1.DeclaredVerifiersSpec;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.resources.IssuerNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Declared verifiers (spec.verifiers) through the real operator on the CRUD mock: a runtime
 * Deployment with an inline JWKS and one caching 3×C are named in the VerifiersConfigured
 * condition with what to change, once fixed it turns True; a forbidden list makes it Unknown and
 * breaks nothing else; without spec.verifiers nothing of the workloads is read.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class DeclaredVerifiersReconcileTest {
  static final String NS = IssuerTestCluster.NS;
  KubernetesClient client;
  KubernetesMockServer server;
  IssuerTestCluster cluster;
  /** The operator's clock: moved on to get past the reader's one-minute cache. */
  final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
  final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset.get());
    }
  };

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  /** A runtime Deployment labelled app=label with these MACP_AUTH_* variables. */
  static Deployment runtime(String name, String label, List<EnvVar> env) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS)
        .addToLabels("app", label).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", label).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", label).endMetadata()
        .withNewSpec().addNewContainer().withName("runtime").withImage("macp-runtime")
        .withEnv(env).endContainer().endSpec().endTemplate().endSpec().build();
  }

  static String jwksUrl(String issuer) {
    return "http://" + issuer + "." + NS + ".svc:3201/.well-known/jwks.json";
  }

  /** slowSpec: C = 1s, G = 0s, so a runtime may cache the JWKS at most 1 s. */
  static MacpIssuerSpec spec(String label) {
    MacpIssuerSpec spec = IssuerTestCluster.slowSpec();
    DeclaredVerifiersSpec verifiers = new DeclaredVerifiersSpec();
    verifiers.setSelector(new LabelSelectorBuilder().addToMatchLabels("app", label).build());
    spec.setVerifiers(verifiers);
    return spec;
  }

  static Map<String, String> reasonsByWorkload(MacpIssuerStatus s) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (DeclaredVerifierFinding f : s.getDeclaredVerifiers().getFindings()) {
      out.put(f.getWorkload(), f.getReason());
    }
    return out;
  }

  @Test
  void anInlineJwksAndAThreeTimesLongerCacheAreNamedAndClearWhenFixed() {
    String url = jwksUrl("auth");
    client.resource(runtime("rt-inline", "macp-runtime", List.of(
        env("MACP_AUTH_JWKS_JSON", "{\"keys\":[]}")))).create();
    client.resource(runtime("rt-slow", "macp-runtime", List.of(
        env("MACP_AUTH_JWKS_URL", url), env("MACP_AUTH_JWKS_TTL_SECS", "3")))).create();
    // a StatefulSet is read too; this one is fine
    client.resource(new StatefulSetBuilder().withNewMetadata().withName("rt-set")
        .withNamespace(NS).addToLabels("app", "macp-runtime").endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("runtime")
        .withImage("macp-runtime").withEnv(env("MACP_AUTH_JWKS_URL", url),
            env("MACP_AUTH_JWKS_TTL_SECS", "1"))
        .endContainer().endSpec().endTemplate().endSpec().build()).create();
    cluster = new IssuerTestCluster(client).startOperator(clock);
    cluster.create("auth", spec("macp-runtime"));

    MacpIssuerStatus bad = cluster.awaitStatus("auth", s -> s.getDeclaredVerifiers() != null
        && s.getDeclaredVerifiers().getFindingCount() == 2);
    assertThat(bad.getDeclaredVerifiers().getWorkloads()).isEqualTo(3);
    assertThat(reasonsByWorkload(bad)).containsExactly(
        Map.entry("Deployment/rt-inline", "InlineJwks"),
        Map.entry("Deployment/rt-slow", "CacheTooLong"));
    assertThat(IssuerTestCluster.conditionOf(bad, IssuerConditions.VERIFIERS_CONFIGURED))
        .hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("InlineJwks");
          assertThat(c.getMessage()).contains("Deployment/rt-inline container runtime",
              "remove MACP_AUTH_JWKS_JSON and set MACP_AUTH_JWKS_URL=" + url,
              "Deployment/rt-slow container runtime", "MACP_AUTH_JWKS_TTL_SECS=3",
              "lower MACP_AUTH_JWKS_TTL_SECS to at most 1",
              "raise spec.rotation.verifierCacheTtl to at least 3s");
        });
    assertThat(IssuerTestCluster.isTrue(bad, IssuerConditions.KEYS_READY))
        .as("a verifier finding changes nothing about the keys").isTrue();
    // a few more reconciles (status writes trigger them): still one event for one verdict
    touch("auth", "1");
    sleep(1500);
    assertThat(cluster.events("auth", DeclaredVerifiersReport.MISCONFIGURED_EVENT))
        .singleElement().satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).contains("rt-inline", "rt-slow");
        });

    // fixed: URL instead of the inline JWKS, a TTL within C + G
    client.resource(runtime("rt-inline", "macp-runtime", List.of(
        env("MACP_AUTH_JWKS_URL", url), env("MACP_AUTH_JWKS_TTL_SECS", "1")))).update();
    client.resource(runtime("rt-slow", "macp-runtime", List.of(
        env("MACP_AUTH_JWKS_URL", url), env("MACP_AUTH_JWKS_TTL_SECS", "1")))).update();
    offset.set(Duration.ofSeconds(61)); // past the reader's cache
    touch("auth", "2");
    MacpIssuerStatus good = cluster.awaitStatus("auth", s ->
        IssuerTestCluster.isTrue(s, IssuerConditions.VERIFIERS_CONFIGURED));
    assertThat(good.getDeclaredVerifiers().getFindings()).isEmpty();
    assertThat(IssuerTestCluster.conditionOf(good, IssuerConditions.VERIFIERS_CONFIGURED))
        .hasValueSatisfying(c -> {
          assertThat(c.getReason()).isEqualTo("Configured");
          assertThat(c.getMessage()).contains("3 workload(s) checked");
        });

    // unset again: the condition and the status go away
    cluster.edit("auth", i -> i.getSpec().setVerifiers(null));
    MacpIssuerStatus off = cluster.awaitStatus("auth", s -> s.getDeclaredVerifiers() == null);
    assertThat(IssuerTestCluster.condition(off, IssuerConditions.VERIFIERS_CONFIGURED)).isEmpty();
  }

  @Test
  void aSelectorMatchingNothingIsReported() {
    cluster = new IssuerTestCluster(client).startOperator(clock);
    cluster.create("typo", spec("macp-runtme"));
    MacpIssuerStatus s = cluster.awaitStatus("typo", st -> st.getDeclaredVerifiers() != null);
    assertThat(IssuerTestCluster.conditionOf(s, IssuerConditions.VERIFIERS_CONFIGURED))
        .hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("NoMatchingWorkload");
          assertThat(c.getMessage()).contains("app=macp-runtme");
        });
  }

  @Test
  void aForbiddenListMakesTheConditionUnknownAndBreaksNothingElse() {
    server.expect().get()
        .withPath("/apis/apps/v1/namespaces/" + NS
            + "/statefulsets?labelSelector=app%3Dforbidden&limit=50")
        .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
            .withMessage("statefulsets.apps is forbidden").build())
        .always();
    cluster = new IssuerTestCluster(client).startOperator(clock);
    cluster.create("denied", spec("forbidden"));
    MacpIssuerStatus s = cluster.awaitStatus("denied", st ->
        IssuerTestCluster.condition(st, IssuerConditions.VERIFIERS_CONFIGURED).isPresent()
            && st.getActiveKid() != null);
    assertThat(IssuerTestCluster.conditionOf(s, IssuerConditions.VERIFIERS_CONFIGURED))
        .hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("Unknown");
          assertThat(c.getReason()).isEqualTo("NotReadable");
          assertThat(c.getMessage()).contains("may not list statefulsets", "apps/statefulsets");
        });
    assertThat(s.getDeclaredVerifiers()).isNull();
    assertThat(IssuerTestCluster.isTrue(s, IssuerConditions.KEYS_READY)).isTrue();
    assertThat(cluster.deployment("denied")).as("the issuer's own Deployment is made").isNotNull();
    assertThat(cluster.events("denied", DeclaredVerifiersReport.NOT_CHECKED_EVENT)).hasSize(1);
  }

  @Test
  void withoutSpecVerifiersNoWorkloadOrConfigMapOfTheUserIsRead() throws Exception {
    client.resource(runtime("rt-inline", "macp-runtime", List.of(
        env("MACP_AUTH_JWKS_JSON", "{\"keys\":[]}")))).create();
    drain();
    cluster = new IssuerTestCluster(client).startOperator(clock);
    cluster.create("plain", IssuerTestCluster.slowSpec());
    MacpIssuerStatus s = cluster.awaitStatus("plain", st -> st.getActiveKid() != null);
    assertThat(s.getDeclaredVerifiers()).isNull();
    assertThat(IssuerTestCluster.condition(s, IssuerConditions.VERIFIERS_CONFIGURED)).isEmpty();

    List<String> paths = new ArrayList<>();
    for (RecordedRequest r : drain()) {
      paths.add(r.getMethod() + " " + r.getPath());
    }
    assertThat(paths).as("the operator ran").anyMatch(p -> p.contains("/macpissuers"));
    assertThat(paths).noneMatch(p -> p.contains("/statefulsets") || p.contains("/daemonsets"));
    // deployments only by the operator's own label (its informer) or by name
    String managed = java.net.URLEncoder.encode(IssuerNames.MANAGED_SELECTOR,
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(paths).filteredOn(p -> p.startsWith("GET ") && p.contains("/deployments?"))
        .isNotEmpty().allSatisfy(p -> assertThat(p).contains(managed));
    assertThat(paths).filteredOn(p -> p.startsWith("GET ") && p.contains("/configmaps/"))
        .allSatisfy(p -> assertThat(p).contains("/configmaps/plain-"));
  }

  /** An annotation edit: a reconcile without a new generation. */
  private void touch(String name, String value) {
    cluster.edit(name, i -> {
      Map<String, String> annotations = new java.util.HashMap<>();
      if (i.getMetadata().getAnnotations() != null) {
        annotations.putAll(i.getMetadata().getAnnotations());
      }
      annotations.put("test/touch", value);
      i.getMetadata().setAnnotations(annotations);
    });
  }

  private List<RecordedRequest> drain() throws InterruptedException {
    return MockServerRequests.drain(server, Duration.ofMillis(200));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
