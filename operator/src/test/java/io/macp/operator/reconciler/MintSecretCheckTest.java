package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import io.macp.operator.policy.IssuerSpecValidator;
import io.macp.operator.resources.TestMint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MintSecretCheckTest {
  private static final String VALUE = "dG9rZW4tdmFsdWUtdGhhdC1pcy1sb25n";
  private final Map<String, Secret> secrets = new HashMap<>();

  private static MacpIssuer issuer(MintSpec mint) {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("auth").build());
    issuer.setSpec(new MacpIssuerSpec());
    issuer.getSpec().setMint(mint);
    return issuer;
  }

  private void secret(String name, String... keys) {
    SecretBuilder b = new SecretBuilder().withNewMetadata().withName(name).endMetadata();
    for (String k : keys) {
      b.addToData(k, VALUE);
    }
    secrets.put(name, b.build());
  }

  private MintSecretCheck.Result check(MacpIssuer issuer) {
    return MintSecretCheck.check(issuer, IssuerSpecValidator.policyOf(issuer).mint(), secrets::get);
  }

  @Test
  void noneWithoutTlsReferencesNothing() {
    assertThat(check(issuer(new MintSpec()))).isEqualTo(new MintSecretCheck.Result(List.of(), List.of()));
  }

  @Test
  void aMissingTokenSecretBlocksWithTheCommandToFixIt() {
    var result = check(issuer(TestMint.sharedSecret("auth-tokens")));
    assertThat(result.blocking()).singleElement().asString()
        .contains("Secret team-a/auth-tokens (spec.mint.sharedSecretRef) does not exist")
        .contains("orchestrator, observer");
  }

  @Test
  void anEmptyTokenSecretBlocksButAClientWithoutATokenIsOnlyNoted() {
    secret("auth-tokens");
    assertThat(check(issuer(TestMint.sharedSecret("auth-tokens"))).blocking()).singleElement()
        .asString().contains("holds no tokens");

    secret("auth-tokens", "orchestrator.next", "observerX");
    var result = check(issuer(TestMint.sharedSecret("auth-tokens")));
    assertThat(result.blocking()).isEmpty();
    assertThat(result.notes()).singleElement().asString()
        .contains("no token for client(s) observer,").doesNotContain("orchestrator,")
        .doesNotContain(VALUE);

    secret("auth-tokens", "orchestrator", "observer.2026-11");
    assertThat(check(issuer(TestMint.sharedSecret("auth-tokens"))).notes()).isEmpty();
  }

  @Test
  void theTlsSecretNeedsBothFiles() {
    MintSpec mint = new MintSpec();
    mint.setTls(TestMint.tls("auth-tls"));
    assertThat(check(issuer(mint)).blocking()).singleElement().asString()
        .contains("Secret team-a/auth-tls (spec.mint.tls.secretName) does not exist")
        .contains("cert-manager");
    secret("auth-tls", "tls.crt");
    assertThat(check(issuer(mint)).blocking()).singleElement().asString()
        .contains("has no tls.key");
    secret("auth-tls", "tls.crt", "tls.key", "ca.crt");
    assertThat(check(issuer(mint)).blocking()).isEmpty();
  }

  @Test
  void stringDataCountsLikeData() {
    secrets.put("auth-tls", new SecretBuilder().withNewMetadata().withName("auth-tls").endMetadata()
        .addToStringData("tls.crt", "x").addToStringData("tls.key", "y").build());
    MintSpec mint = new MintSpec();
    mint.setTls(TestMint.tls("auth-tls"));
    assertThat(check(issuer(mint)).blocking()).isEmpty();
  }
}
