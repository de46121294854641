package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MintTlsSpec;
import io.macp.operator.resources.IssuerDeploymentBuilder;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.resources.TestMint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which of the operator's volumes a simulated replica can have, and where their files go. */
class IssuerPodFilesTest {
  @Test
  void mountsKeepTheirRelativePlacesSoTheRelativeTokensDirResolves() {
    Path pod = Path.of("/work/demo/pod-1");
    Path policy = SimulatedPod.replicaPath(pod, IssuerNames.MINT_POLICY_MOUNT_PATH);
    Path tokens = SimulatedPod.replicaPath(pod, IssuerNames.MINT_TOKENS_MOUNT_PATH);
    assertThat(policy).isEqualTo(Path.of("/work/demo/pod-1/root/var/run/macp/mint-policy"));
    // what the mint policy renders: "../mint-tokens" from the policy's directory
    assertThat(policy.resolve("../mint-tokens").normalize()).isEqualTo(tokens);
    assertThatThrownBy(() -> SimulatedPod.replicaPath(pod, "relative/dir"))
        .hasMessageContaining("must be absolute");
    assertThatThrownBy(() -> SimulatedPod.replicaPath(pod, "/../../etc"))
        .hasMessageContaining("below /");
    assertThatThrownBy(() -> SimulatedPod.replicaPath(pod, "/"))
        .hasMessageContaining("below /");
  }

  @Test
  void sharedSecretAndTlsPodsHaveOnlyVolumesTheSimulationFills() {
    var mint = TestMint.sharedSecret("tokens");
    MintTlsSpec tls = new MintTlsSpec();
    tls.setSecretName("auth-tls");
    mint.setTls(tls);
    IssuerPodSpec spec = IssuerPodSpec.of(IssuerDeploymentBuilder.build(
        TestMint.withMint(issuer(), mint)));
    assertThat(spec.unsupportedMounts()).isEmpty();
    assertThat(spec.objectVolumes()).extracting(IssuerPodSpec.ObjectVolume::volumeName)
        .containsExactlyInAnyOrder("keys", "mint-policy", "mint-tokens", "tls");
  }

  @Test
  void theProjectedServiceAccountTokenIsNamedAsUnsupported() {
    IssuerPodSpec spec = IssuerPodSpec.of(IssuerDeploymentBuilder.build(TestMint.withMint(
        issuer(), TestMint.serviceAccount("ns/orchestrator"))));
    assertThat(spec.unsupportedMounts()).containsExactly(
        "issuer-sa-token (projected serviceAccountToken) at /var/run/macp/serviceaccount");
  }

  private static MacpIssuer issuer() {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("auth").build());
    issuer.setSpec(new MacpIssuerSpec());
    return issuer;
  }
}
