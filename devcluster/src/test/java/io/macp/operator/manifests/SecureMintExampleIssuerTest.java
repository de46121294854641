package io.macp.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.security.authn.CallerId;
import io.macp.issuer.security.policy.ClientBinding;
import io.macp.issuer.security.policy.MintPolicy;
import io.macp.issuer.security.policy.MintPolicyReader;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.policy.MintPolicyRenderer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The secure example's mint policy as the issuer reads it (the rest of that example is checked by
 * ExamplesTest in the operator). Here, in devcluster, because only this module sees both.
 */
class SecureMintExampleIssuerTest {
  @Test
  void secureMintPolicyIsReadByTheIssuer() throws Exception {
    MacpIssuer issuer = new KubernetesSerialization().convertValue(
        ProjectFiles.yamlDocuments(ProjectFiles.examples().resolve("secure-mint.yaml")).stream()
            .filter(d -> "MacpIssuer".equals(d.path("kind").asText())).findFirst().orElseThrow(),
        MacpIssuer.class);
    issuer.getMetadata().setNamespace("team-a");
    MintPolicy policy = MintPolicyReader.read(MintPolicyRenderer.render(issuer),
        Path.of(IssuerNames.MINT_POLICY_MOUNT_PATH));
    assertThat(policy.authentication()).isEqualTo(AuthenticationMode.SHARED_SECRET);
    ClientBinding orchestrator = policy.clients().get(0);
    assertThat(orchestrator.caller()).isEqualTo(CallerId.sharedSecret("orchestrator"));
    assertThat(orchestrator.allowsSender("agent://team-a/planner")).isTrue();
    assertThat(orchestrator.allowsSender("agent://risk")).isFalse();
  }
}
