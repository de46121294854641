package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.macp.issuer.security.SecuritySettings;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerEndpoints;
import io.macp.operator.policy.MintPolicyRenderer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How spec.mint reaches the issuer pods: env, mounts, ServiceAccount and probes. */
class IssuerDeploymentMintTest {

  private static PodSpec pod(MacpIssuer issuer) {
    return IssuerDeploymentBuilder.build(issuer).getSpec().getTemplate().getSpec();
  }

  private static Container container(MacpIssuer issuer) {
    return pod(issuer).getContainers().get(0);
  }

  private static Map<String, String> env(MacpIssuer issuer) {
    return container(issuer).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static Map<String, String> mounts(MacpIssuer issuer) {
    return container(issuer).getVolumeMounts().stream()
        .collect(Collectors.toMap(VolumeMount::getName, VolumeMount::getMountPath));
  }

  private static Volume volume(MacpIssuer issuer, String name) {
    return pod(issuer).getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow();
  }

  @Test
  void noneRunsTheReferenceBehaviourWithoutPolicyOrToken() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    assertThat(env(issuer)).doesNotContainKeys("MACP_AUTH_MINT_POLICY_FILE",
        "MACP_AUTH_TLS_CERT_FILE", "MACP_AUTH_TLS_KEY_FILE");
    assertThat(mounts(issuer)).containsOnlyKeys(IssuerDeploymentBuilder.KEYS_VOLUME,
        IssuerDeploymentBuilder.TMP_VOLUME);
    assertThat(pod(issuer).getServiceAccountName()).isNull();
    assertThat(pod(issuer).getAutomountServiceAccountToken()).isFalse();
    // the issuer's own reading of this environment: no gate, no TLS
    SecuritySettings settings = SecuritySettings.fromEnv(env(issuer));
    assertThat(settings.mintPolicyFile()).isNull();
    assertThat(settings.tlsEnabled()).isFalse();
  }

  @Test
  void sharedSecretMountsThePolicyAndTheTokensAsWholeReadOnlyDirectories() {
    MacpIssuer issuer = TestMint.withMint(TestIssuers.issuer("ns", "auth"),
        TestMint.sharedSecret("auth-mint-tokens"));
    SecuritySettings settings = SecuritySettings.fromEnv(env(issuer));
    assertThat(settings.mintPolicyFile())
        .isEqualTo(Path.of(IssuerNames.MINT_POLICY_MOUNT_PATH, IssuerNames.MINT_POLICY_KEY));
    assertThat(mounts(issuer))
        .containsEntry(IssuerDeploymentBuilder.MINT_POLICY_VOLUME, IssuerNames.MINT_POLICY_MOUNT_PATH)
        .containsEntry(IssuerDeploymentBuilder.MINT_TOKENS_VOLUME, IssuerNames.MINT_TOKENS_MOUNT_PATH)
        .doesNotContainKey(IssuerDeploymentBuilder.SA_TOKEN_VOLUME);
    // subPath mounts never receive the kubelet's updates: rotation would need a restart
    assertThat(container(issuer).getVolumeMounts()).allSatisfy(m -> assertThat(m.getSubPath()).isNull());
    assertThat(container(issuer).getVolumeMounts())
        .filteredOn(m -> !m.getName().equals(IssuerDeploymentBuilder.TMP_VOLUME))
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(volume(issuer, IssuerDeploymentBuilder.MINT_POLICY_VOLUME).getConfigMap().getName())
        .isEqualTo("auth-mint-policy");
    assertThat(volume(issuer, IssuerDeploymentBuilder.MINT_TOKENS_VOLUME).getSecret().getSecretName())
        .isEqualTo("auth-mint-tokens");
    assertThat(volume(issuer, IssuerDeploymentBuilder.MINT_TOKENS_VOLUME).getSecret().getDefaultMode())
        .isEqualTo(0440);
    assertThat(volume(issuer, IssuerDeploymentBuilder.MINT_TOKENS_VOLUME).getSecret().getItems())
        .as("every key, so <client>.<suffix> tokens added later appear").isNullOrEmpty();
    assertThat(pod(issuer).getServiceAccountName()).isNull();
  }

  @Test
  void serviceAccountModeMountsOneProjectedTokenAndNothingAutomatically() {
    MacpIssuer issuer = TestMint.withMint(TestIssuers.issuer("ns", "auth"),
        TestMint.serviceAccount("ns/caller"));
    PodSpec pod = pod(issuer);
    assertThat(pod.getServiceAccountName()).isEqualTo("auth-issuer");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(mounts(issuer))
        .containsEntry(IssuerDeploymentBuilder.SA_TOKEN_VOLUME, IssuerNames.SA_TOKEN_MOUNT_PATH)
        .containsKey(IssuerDeploymentBuilder.MINT_POLICY_VOLUME)
        .doesNotContainKey(IssuerDeploymentBuilder.MINT_TOKENS_VOLUME);
    var projected = volume(issuer, IssuerDeploymentBuilder.SA_TOKEN_VOLUME).getProjected();
    assertThat(projected.getSources()).hasSize(2);
    var token = projected.getSources().get(0).getServiceAccountToken();
    assertThat(token.getPath()).isEqualTo(IssuerNames.SA_TOKEN_FILE);
    assertThat(token.getAudience()).as("the API server's own audience, for TokenReview").isNull();
    assertThat(token.getExpirationSeconds()).isEqualTo(3600L);
    var ca = projected.getSources().get(1).getConfigMap();
    assertThat(ca.getName()).isEqualTo("kube-root-ca.crt");
    assertThat(ca.getItems()).singleElement()
        .satisfies(i -> assertThat(i.getPath()).isEqualTo(IssuerNames.SA_CA_FILE));
  }

  @Test
  void tlsMountsTheSecretAndProbesOverHttps() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    issuer.getSpec().getMint().setTls(TestMint.tls("auth-tls"));
    SecuritySettings settings = SecuritySettings.fromEnv(env(issuer));
    assertThat(settings.tlsCertFile()).isEqualTo(Path.of(IssuerNames.TLS_MOUNT_PATH, "tls.crt"));
    assertThat(settings.tlsKeyFile()).isEqualTo(Path.of(IssuerNames.TLS_MOUNT_PATH, "tls.key"));
    assertThat(volume(issuer, IssuerDeploymentBuilder.TLS_VOLUME).getSecret().getSecretName())
        .isEqualTo("auth-tls");
    Container c = container(issuer);
    for (Probe p : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
      assertThat(p.getHttpGet().getScheme()).isEqualTo("HTTPS");
    }
    assertThat(env(issuer).get("MACP_AUTH_ISSUER")).isEqualTo("https://auth.ns.svc:3200");
    assertThat(IssuerEndpoints.jwksUrl(issuer)).startsWith("https://");
  }

  /** Policy and token edits are hot-reloaded: the template names objects, never their content. */
  @Test
  void editingClientsLeavesThePodTemplateUnchanged() {
    MacpIssuer issuer = TestMint.withMint(TestIssuers.issuer("ns", "auth"),
        TestMint.sharedSecret("auth-mint-tokens"));
    String before = IssuerDeploymentBuilder.podTemplateYaml(issuer);
    issuer.getSpec().getMint().getClients().get(0).getSenders().add("agent://team-c/*");
    issuer.getSpec().getMint().getClients().add(TestMint.client(null, "newcomer", "agent://new"));
    issuer.getSpec().getMint().setAllowedFrom(List.of(TestMint.peer("a", null)));
    assertThat(IssuerDeploymentBuilder.podTemplateYaml(issuer)).isEqualTo(before)
        .doesNotContain("agent://");
    String policy = MintPolicyRenderer.render(issuer);
    assertThat(policy).contains("agent://team-c/*");
  }

  @Test
  void theDefaultTemplateIsTheOneBeforeMintSecurityExisted() {
    Deployment d = IssuerDeploymentBuilder.build(TestIssuers.issuer("ns", "auth"));
    assertThat(IssuerDeploymentBuilder.podTemplateYaml(TestIssuers.issuer("ns", "auth")))
        .doesNotContain("serviceAccountName").doesNotContain("mint").doesNotContain("HTTPS");
    assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).hasSize(2);
  }
}
