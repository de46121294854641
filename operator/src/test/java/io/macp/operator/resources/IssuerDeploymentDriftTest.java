package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MintSpec;
import org.junit.jupiter.api.Test;

class IssuerDeploymentDriftTest {
  private static Deployment deployment(MintSpec mint) {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    issuer.getSpec().setMint(mint);
    return IssuerDeploymentBuilder.build(issuer);
  }

  @Test
  void seesWhatTheOperatorStoppedWanting() {
    Deployment none = deployment(new MintSpec());
    assertThat(IssuerDeploymentDrift.dropped(none, deployment(TestMint.serviceAccount("a/b"))))
        .as("ServiceAccount, its token volume, the policy").isTrue();
    assertThat(IssuerDeploymentDrift.dropped(none, deployment(TestMint.sharedSecret("t"))))
        .as("policy and token volumes, env").isTrue();
    MintSpec tls = new MintSpec();
    tls.setTls(TestMint.tls("auth-tls"));
    assertThat(IssuerDeploymentDrift.dropped(none, deployment(tls))).as("TLS").isTrue();
  }

  @Test
  void serverDefaultsAndAdditionsAreNoDrift() {
    Deployment desired = deployment(TestMint.sharedSecret("t"));
    assertThat(IssuerDeploymentDrift.dropped(desired, desired)).isFalse();
    assertThat(IssuerDeploymentDrift.dropped(deployment(TestMint.sharedSecret("t")),
        deployment(new MintSpec()))).as("additions are JOSDK's to see").isFalse();
    Deployment defaulted = new DeploymentBuilder(desired).editSpec().editTemplate().editSpec()
        .withServiceAccountName("default").withDnsPolicy("ClusterFirst")
        .editFirstContainer().withTerminationMessagePath("/dev/termination-log").endContainer()
        .endSpec().endTemplate().endSpec().build();
    assertThat(IssuerDeploymentDrift.dropped(desired, defaulted)).isFalse();
  }
}
