package io.macp.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.security.InvalidPolicyException;
import io.macp.issuer.security.authn.CallerId;
import io.macp.issuer.security.policy.ClientBinding;
import io.macp.issuer.security.policy.MintPolicy;
import io.macp.issuer.security.policy.MintPolicyReader;
import io.macp.issuer.security.policy.RateLimit;
import io.macp.issuer.security.policy.ScopeCeiling;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.resources.MintPolicyConfigMapBuilder;
import io.macp.operator.resources.TestIssuers;
import io.macp.operator.resources.TestMint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the operator renders is what the issuer's own parser reads, field by field. Here, in
 * devcluster, because only this module sees both the operator and the issuer.
 */
class MintPolicyRendererTest {

  /** Parsed exactly as an issuer pod does: the issuer's parser, relative to the mount. */
  static MintPolicy parse(String json) throws InvalidPolicyException {
    return MintPolicyReader.read(json, Path.of(IssuerNames.MINT_POLICY_MOUNT_PATH));
  }

  @Test
  void sharedSecretPolicyIsReadByTheIssuerWithEveryLimit() throws Exception {
    MacpIssuer issuer = TestMint.withMint(TestIssuers.issuer("team-a", "auth"),
        TestMint.sharedSecret("auth-mint-tokens"));

    MintPolicy policy = parse(MintPolicyRenderer.render(issuer));

    assertThat(policy.authentication()).isEqualTo(AuthenticationMode.SHARED_SECRET);
    // Rendered relative to the policy's mount, so the pods and embedded replicas both resolve it
    assertThat(MintPolicyRenderer.render(issuer)).contains("\"tokensDir\" : \"../mint-tokens\"");
    assertThat(policy.sharedSecretDir().normalize())
        .isEqualTo(Path.of(IssuerNames.MINT_TOKENS_MOUNT_PATH));
    assertThat(policy.tokenReview()).isNull();
    assertThat(policy.clients()).extracting(ClientBinding::caller)
        .containsExactly(CallerId.sharedSecret("orchestrator"), CallerId.sharedSecret("observer"));
    ClientBinding orchestrator = policy.clients().get(0);
    assertThat(orchestrator.allowsSender("agent://team-a/planner")).isTrue();
    assertThat(orchestrator.allowsSender("agent://risk")).isTrue();
    assertThat(orchestrator.allowsSender("agent://team-b/planner")).isFalse();
    assertThat(orchestrator.allowsSender("agent://team-a/../team-b/x")).isFalse();
    assertThat(orchestrator.maxTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(orchestrator.scopes())
        .isEqualTo(new ScopeCeiling(true, false, false, 5, List.of("macp.mode.decision.v1")));
    assertThat(orchestrator.rateLimit()).isEqualTo(new RateLimit(2.5, 10));
    ClientBinding observer = policy.clients().get(1);
    assertThat(observer.maxTtl()).isNull();
    assertThat(observer.scopes()).isEqualTo(ScopeCeiling.unlimited());
    assertThat(observer.rateLimit()).isNull();
  }

  @Test
  void serviceAccountPolicyReviewsTokensForTheIssuerUrl() throws Exception {
    MacpIssuer issuer = TestMint.withMint(TestIssuers.issuer("team-a", "auth"),
        TestMint.serviceAccount("team-a/orchestrator", "team-b/bot"));

    MintPolicy policy = parse(MintPolicyRenderer.render(issuer));

    assertThat(policy.authentication()).isEqualTo(AuthenticationMode.SERVICE_ACCOUNT);
    assertThat(policy.sharedSecretDir()).isNull();
    assertThat(policy.tokenReview().audience()).isEqualTo("http://auth.team-a.svc:3200")
        .isEqualTo(IssuerEndpoints.issuerClaim(issuer));
    assertThat(policy.tokenReview().tokenFile())
        .isEqualTo(Path.of(IssuerNames.SA_TOKEN_MOUNT_PATH, IssuerNames.SA_TOKEN_FILE));
    assertThat(policy.tokenReview().caFile())
        .isEqualTo(Path.of(IssuerNames.SA_TOKEN_MOUNT_PATH, IssuerNames.SA_CA_FILE));
    assertThat(policy.tokenReview().apiServer().toString()).isEqualTo("https://kubernetes.default.svc");
    assertThat(policy.clients()).extracting(ClientBinding::caller).containsExactly(
        CallerId.serviceAccount("team-a", "orchestrator"), CallerId.serviceAccount("team-b", "bot"));

    // an explicit iss is the audience, and TLS changes the default one to https
    issuer.getSpec().setIssuer("https://auth.example.com");
    assertThat(parse(MintPolicyRenderer.render(issuer)).tokenReview().audience())
        .isEqualTo("https://auth.example.com");
    issuer.getSpec().setIssuer(null);
    issuer.getSpec().getMint().setTls(TestMint.tls("auth-tls"));
    assertThat(parse(MintPolicyRenderer.render(issuer)).tokenReview().audience())
        .isEqualTo("https://auth.team-a.svc:3200");
  }

  @Test
  void noneIsTheReferenceBehaviour() throws Exception {
    MintPolicy policy = parse(MintPolicyRenderer.render(TestIssuers.issuer("ns", "auth")));
    assertThat(policy.authentication()).isEqualTo(AuthenticationMode.NONE);
    assertThat(policy.clients()).isEmpty();
  }

  @Test
  void aSpecTheIssuerWouldRefuseIsRefusedByItsParser() {
    MacpIssuer issuer = TestMint.withMint(TestIssuers.issuer("ns", "auth"),
        TestMint.sharedSecret("tokens"));
    issuer.getSpec().getMint().getClients().get(0).getSenders().add("agent://team-a/***");
    assertThatThrownBy(() -> parse(MintPolicyRenderer.render(issuer)))
        .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("***");

    MacpIssuer none = TestMint.withMint(TestIssuers.issuer("ns", "auth"),
        TestMint.serviceAccount("ns/caller"));
    none.getSpec().getMint().setAuthentication("None");
    assertThatThrownBy(() -> parse(MintPolicyRenderer.render(none)))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("cannot be used with authentication None");
  }

  @Test
  void renderingIsDeterministicAndDurationsCanonical() {
    MacpIssuer a = TestMint.withMint(TestIssuers.issuer("ns", "auth"), TestMint.sharedSecret("t"));
    MacpIssuer b = TestMint.withMint(TestIssuers.issuer("ns", "auth"), TestMint.sharedSecret("t"));
    b.getSpec().getMint().getClients().get(0).setMaxTtl("900s");
    assertThat(MintPolicyRenderer.render(b)).isEqualTo(MintPolicyRenderer.render(a))
        .contains("\"maxTtl\" : \"15m\"");
  }

  @Test
  void theConfigMapHoldsThePolicyUnderItsMountedKey() throws Exception {
    MacpIssuer issuer = TestMint.withMint(TestIssuers.issuer("team-a", "auth"),
        TestMint.sharedSecret("auth-mint-tokens"));
    ConfigMap cm = MintPolicyConfigMapBuilder.build(issuer);
    assertThat(cm.getMetadata().getName()).isEqualTo("auth-mint-policy");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(cm.getMetadata().getLabels()).isEqualTo(IssuerNames.labels(issuer));
    assertThat(cm.getData()).containsOnlyKeys(IssuerNames.MINT_POLICY_KEY);
    assertThat(parse(cm.getData().get(IssuerNames.MINT_POLICY_KEY)).clients()).hasSize(2);
  }
}
