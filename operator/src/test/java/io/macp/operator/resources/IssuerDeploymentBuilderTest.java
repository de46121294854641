package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerImage;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IssuerDeploymentBuilderTest {

  private static Map<String, String> env(Deployment deployment) {
    return container(deployment).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void namesLabelsAndSelectorComeFromIssuerNames() {
    MacpIssuer issuer = TestIssuers.issuer("team-a", "auth");
    Deployment d = IssuerDeploymentBuilder.build(issuer);

    assertThat(d.getMetadata().getName()).isEqualTo("auth");
    assertThat(d.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(d.getMetadata().getLabels()).isEqualTo(IssuerNames.labels(issuer));
    assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(IssuerNames.podSelector(issuer));
    // the pods carry the selector's labels, or the Deployment would select nothing
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(IssuerNames.podSelector(issuer))
        .containsEntry(IssuerNames.MANAGED_BY_LABEL, IssuerNames.MANAGED_BY);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void replicasAndImageFollowTheSpec() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    assertThat(container(IssuerDeploymentBuilder.build(issuer)).getImage())
        .isEqualTo(IssuerImage.operatorDefault());

    issuer.getSpec().setReplicas(5);
    issuer.getSpec().setImage("registry.example/issuer:9");
    Deployment d = IssuerDeploymentBuilder.build(issuer);
    assertThat(d.getSpec().getReplicas()).isEqualTo(5);
    assertThat(container(d).getImage()).isEqualTo("registry.example/issuer:9");
    assertThat(container(d).getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(container(d).getName()).isEqualTo("issuer");
    assertThat(container(d).getPorts()).hasSize(2);
    assertThat(container(d).getPorts().get(0)).satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getContainerPort()).isEqualTo(3200);
    });
    assertThat(container(d).getPorts().get(1)).satisfies(p -> {
      assertThat(p.getName()).isEqualTo("public");
      assertThat(p.getContainerPort()).isEqualTo(3201);
    });
  }

  @Test
  void envDefaultsToTheInClusterIssuerUrlAndReferenceDefaults() {
    MacpIssuer issuer = TestIssuers.issuer("team-a", "auth");
    Map<String, String> env = env(IssuerDeploymentBuilder.build(issuer));

    assertThat(env)
        .containsEntry("PORT", "3200")
        .containsEntry("MACP_AUTH_PUBLIC_PORT", "3201")
        .containsEntry("MACP_AUTH_PUBLIC_URL", "http://auth.team-a.svc:3201")
        .containsEntry("MACP_AUTH_ISSUER", "http://auth.team-a.svc:3200")
        .containsEntry("MACP_AUTH_AUDIENCE", "macp-runtime")
        .containsEntry("MACP_AUTH_KEYSET_FILE", "/var/run/macp/keys/keyset.json")
        .containsEntry("MACP_AUTH_KEYSET_POLL_INTERVAL", "1s")
        // carried by the key set (TTLs, JWKS max-age) or by each key (alg): never pod env, so
        // changing them restarts no pod
        .doesNotContainKeys("MACP_AUTH_DEFAULT_TTL_SECONDS", "MACP_AUTH_MAX_TTL_SECONDS",
            "MACP_AUTH_SIGNING_ALG", "MACP_AUTH_RSA_KEY_SIZE", "MACP_AUTH_VERIFIER_CACHE_TTL")
        // the schedule reaches the pods as the key set's timestamps, never as env
        .doesNotContainKeys("MACP_AUTH_ROTATION_PERIOD", "MACP_AUTH_VERIFIER_STALE_GRACE",
            "MACP_AUTH_PROPAGATION_DELAY", "MACP_AUTH_CLOCK_SKEW");
    assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=").contains("-XX:+UseSerialGC");
    // no key material, ever: the pods read keys from the mounted Secret
    assertThat(env).doesNotContainKey("MACP_AUTH_SIGNING_KEY_JSON");
  }

  @Test
  void envMapsEverySpecField() {
    MacpIssuer issuer = TestIssuers.issuer("team-a", "auth");
    var spec = issuer.getSpec();
    spec.setIssuer("https://auth.example.com");
    spec.setAudience("my-runtime");
    spec.getSigning().setAlgorithm("ES256");
    spec.getSigning().setRsaKeySize(3072);
    spec.getTokens().setDefaultTtl("90s");
    spec.getTokens().setMaxTtl("1h30m");
    // a valid spec (the Deployment is built from the validated policy); the period itself never
    // reaches the pods
    spec.getRotation().setPeriod("2h");
    spec.getRotation().setVerifierCacheTtl("5s");
    spec.getRotation().setVerifierStaleGrace("0s");
    spec.getRotation().setPropagationDelay("2000ms");
    spec.getRotation().setClockSkew("1s");
    spec.getService().setPort(8443);

    Map<String, String> env = env(IssuerDeploymentBuilder.build(issuer));
    assertThat(env)
        .containsEntry("MACP_AUTH_ISSUER", "https://auth.example.com")
        .containsEntry("MACP_AUTH_AUDIENCE", "my-runtime")
        // carried by the key set (TTLs, JWKS max-age) or by each key (alg): never pod env, so
        // changing them restarts no pod
        .doesNotContainKeys("MACP_AUTH_DEFAULT_TTL_SECONDS", "MACP_AUTH_MAX_TTL_SECONDS",
            "MACP_AUTH_SIGNING_ALG", "MACP_AUTH_RSA_KEY_SIZE", "MACP_AUTH_VERIFIER_CACHE_TTL")
        .doesNotContainKeys("MACP_AUTH_ROTATION_PERIOD", "MACP_AUTH_VERIFIER_STALE_GRACE",
            "MACP_AUTH_PROPAGATION_DELAY", "MACP_AUTH_CLOCK_SKEW")
        // the pod still listens on 3200; only the Service port moves
        .containsEntry("PORT", "3200");

    spec.setIssuer(null);
    assertThat(env(IssuerDeploymentBuilder.build(issuer)))
        .containsEntry("MACP_AUTH_ISSUER", "http://auth.team-a.svc:8443");
  }

  /** The reconcile parses the spec once; the Deployment is built from that, not the spec's text. */
  @Test
  void envComesFromTheParsedPolicy() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    IssuerPolicy parsed = IssuerSpecValidator.policyOf(issuer);
    IssuerPolicy other = new IssuerPolicy(parsed.rotation(), parsed.keySpec(),
        Duration.ofSeconds(42), Duration.ofSeconds(4242), "https://iss.example", null);
    assertThat(env(IssuerDeploymentBuilder.build(issuer, other)))
        .containsEntry("MACP_AUTH_ISSUER", "https://iss.example");
  }

  @Test
  void aBadDurationNamesTheField() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    // (no duration reaches the template any more: the validator names the field, see
    // IssuerSpecValidatorTest)
    issuer.getSpec().getRotation().setVerifierCacheTtl("1 day");
    assertThatThrownBy(() -> IssuerDeploymentBuilder.build(issuer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.rotation.verifierCacheTtl");
  }

  @Test
  void explicitNullsInTheSpecFallBackToDefaults() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    issuer.getSpec().setReplicas(null);
    issuer.getSpec().setTokens(null);
    issuer.getSpec().setRotation(null);
    issuer.getSpec().setSigning(null);
    issuer.getSpec().setService(null);
    issuer.getSpec().setAudience(null);
    Deployment d = IssuerDeploymentBuilder.build(issuer);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(env(d))
        .containsEntry("MACP_AUTH_AUDIENCE", "macp-runtime")
        .containsEntry("MACP_AUTH_ISSUER", "http://auth.ns.svc:3200");
  }

  @Test
  void podsAreLockedDown() {
    Deployment d = IssuerDeploymentBuilder.build(TestIssuers.issuer("ns", "auth"));
    PodSpec pod = d.getSpec().getTemplate().getSpec();

    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);

    var sc = container(d).getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void keySecretIsMountedReadOnlyForTheGroupOnly() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    Deployment d = IssuerDeploymentBuilder.build(issuer);
    PodSpec pod = d.getSpec().getTemplate().getSpec();

    Volume keys = pod.getVolumes().stream().filter(v -> v.getName().equals("keys")).findFirst().orElseThrow();
    assertThat(keys.getSecret().getSecretName()).isEqualTo("auth-keys").isEqualTo(IssuerNames.keySecret(issuer));
    assertThat(keys.getSecret().getDefaultMode()).isEqualTo(0440);
    assertThat(keys.getSecret().getOptional()).isFalse();
    Volume tmp = pod.getVolumes().stream().filter(v -> v.getName().equals("tmp")).findFirst().orElseThrow();
    assertThat(tmp.getEmptyDir()).isNotNull();

    assertThat(container(d).getVolumeMounts())
        .anySatisfy(m -> {
          assertThat(m.getName()).isEqualTo("keys");
          assertThat(m.getMountPath()).isEqualTo(IssuerNames.KEYS_MOUNT_PATH);
          assertThat(m.getReadOnly()).isTrue();
        })
        .anySatisfy(m -> {
          assertThat(m.getName()).isEqualTo("tmp");
          assertThat(m.getMountPath()).isEqualTo("/tmp");
        });
    // the file the issuer is told to read is the one the Secret volume provides
    assertThat(env(d).get("MACP_AUTH_KEYSET_FILE"))
        .isEqualTo(IssuerNames.KEYS_MOUNT_PATH + "/" + IssuerNames.KEYSET_KEY);
  }

  @Test
  void probesHitTheIssuerHealthEndpoints() {
    Container c = container(IssuerDeploymentBuilder.build(TestIssuers.issuer("ns", "auth")));
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    // on the public port, which the NetworkPolicy never restricts
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("public");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("public");
    assertThat(c.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("public");
    assertThat(c.getLivenessProbe().getPeriodSeconds()).isBetween(5, 30);
    assertThat(c.getReadinessProbe().getPeriodSeconds()).isBetween(1, 10);
    assertThat(c.getLivenessProbe().getTimeoutSeconds()).isPositive();
  }

  @Test
  void rollingUpdateNeverDropsBelowTheDeclaredReplicas() {
    var strategy = IssuerDeploymentBuilder.build(TestIssuers.issuer("ns", "auth")).getSpec().getStrategy();
    assertThat(strategy.getType()).isEqualTo("RollingUpdate");
    assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(0);
    assertThat(strategy.getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
  }

  @Test
  void defaultResourcesAndSchedulingFromTheSpec() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    var defaults = container(IssuerDeploymentBuilder.build(issuer)).getResources();
    assertThat(defaults.getRequests())
        .containsEntry("cpu", new Quantity("50m"))
        .containsEntry("memory", new Quantity("96Mi"));
    assertThat(defaults.getLimits()).containsEntry("memory", new Quantity("256Mi"));
    assertThat(defaults.getLimits()).doesNotContainKey("cpu");

    var resources =
        new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("200m"))
            .addToLimits("memory", new Quantity("512Mi"))
            .build();
    issuer.getSpec().setResources(resources);
    issuer.getSpec().setNodeSelector(Map.of("kubernetes.io/os", "linux"));
    issuer.getSpec().setTolerations(
        List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build()));
    issuer.getSpec().setAffinity(
        new AffinityBuilder().withNewPodAntiAffinity().endPodAntiAffinity().build());

    Deployment d = IssuerDeploymentBuilder.build(issuer);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(container(d).getResources()).isEqualTo(resources).isNotSameAs(resources);
    assertThat(pod.getNodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(pod.getAffinity().getPodAntiAffinity()).isNotNull();

    // the Deployment never aliases the primary: editing it must not edit the issuer's spec
    container(d).getResources().getRequests().put("cpu", new Quantity("1"));
    assertThat(issuer.getSpec().getResources().getRequests()).containsEntry("cpu", new Quantity("200m"));
  }
}
