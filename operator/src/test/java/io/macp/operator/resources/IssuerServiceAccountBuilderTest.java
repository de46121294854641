package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import org.junit.jupiter.api.Test;

class IssuerServiceAccountBuilderTest {

  @Test
  void onlyInServiceAccountModeAndWithoutAnAutomountedToken() {
    assertThat(IssuerServiceAccountBuilder.wanted(TestIssuers.issuer("ns", "auth"))).isFalse();
    assertThat(IssuerServiceAccountBuilder.wanted(TestMint.withMint(
        TestIssuers.issuer("ns", "auth"), TestMint.sharedSecret("t")))).isFalse();

    MacpIssuer issuer = TestMint.withMint(TestIssuers.issuer("team-a", "auth"),
        TestMint.serviceAccount("team-a/orchestrator"));
    assertThat(IssuerServiceAccountBuilder.wanted(issuer)).isTrue();
    ServiceAccount sa = IssuerServiceAccountBuilder.build(issuer);
    assertThat(sa.getMetadata().getName()).isEqualTo("auth-issuer");
    assertThat(sa.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(sa.getMetadata().getLabels()).isEqualTo(IssuerNames.labels(issuer));
    assertThat(sa.getAutomountServiceAccountToken()).isFalse();
    assertThat(sa.getSecrets()).isNullOrEmpty();
  }
}
