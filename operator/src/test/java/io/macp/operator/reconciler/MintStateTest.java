package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.model.v1alpha1.MintSpec;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import io.macp.operator.resources.TestMint;
import java.util.List;
import org.junit.jupiter.api.Test;

class MintStateTest {
  private static final MintSecretCheck.Result OK = new MintSecretCheck.Result(List.of(), List.of());

  /** spec.mint as the validator gives it to the reconciler. */
  private static IssuerPolicy.MintSettings settings(MintSpec mint) {
    return IssuerSpecValidator.policyOf(issuer(mint)).mint();
  }

  private static MacpIssuer issuer(MintSpec mint) {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("auth").build());
    issuer.setSpec(new MacpIssuerSpec());
    issuer.getSpec().setMint(mint);
    return issuer;
  }

  @Test
  void noneIsValidButNotSecuredAndSaysWhy() {
    MintState s = MintState.of(settings(new MintSpec()), OK);
    assertThat(s.secured()).isFalse();
    assertThat(s.blocksRollout()).isFalse();
    assertThat(s.reason()).isEqualTo("AuthenticationNone");
    assertThat(s.message()).contains("any sender with any scopes", "SharedSecret or ServiceAccount",
        "plain HTTP", "no NetworkPolicy");
  }

  @Test
  void authenticatedModesAreSecuredWithTheirTransport() {
    MintSpec mint = TestMint.serviceAccount("a/b");
    mint.setTls(TestMint.tls("t"));
    mint.setAllowedFrom(List.of(TestMint.peer("a", null)));
    MintState s = MintState.of(settings(mint), OK);
    assertThat(s.secured()).isTrue();
    assertThat(s.reason()).isEqualTo("Authenticated");
    assertThat(s.message()).contains("ServiceAccount", "1 client(s)", "HTTPS",
        "NetworkPolicy from mint.allowedFrom");
    assertThat(MintState.of(settings(mint),
            new MintSecretCheck.Result(List.of(), List.of("client x has no token"))).message())
        .endsWith("Note: client x has no token");
  }

  @Test
  void anUnusableSecretBlocksTheRollout() {
    MintState s = MintState.of(settings(TestMint.sharedSecret("t")),
        new MintSecretCheck.Result(List.of("Secret ns/t does not exist"), List.of()));
    assertThat(s.secured()).isFalse();
    assertThat(s.blocksRollout()).isTrue();
    assertThat(s.reason()).isEqualTo("MintSecretUnusable");
    assertThat(s.message()).startsWith("Secret ns/t does not exist").contains("were not changed");
  }

  @Test
  void warningsAreRaisedOnTransitionsOnly() {
    MintState none = MintState.of(settings(new MintSpec()), OK);
    assertThat(MacpIssuerReconciler.mintEvent(null, none)).hasValueSatisfying(e -> {
      assertThat(e.warning()).isTrue();
      assertThat(e.reason()).isEqualTo("MintUnauthenticated");
    });
    MacpIssuerStatus already = status(none);
    assertThat(MacpIssuerReconciler.mintEvent(already, none)).isEmpty();

    MintState secured = MintState.of(settings(TestMint.serviceAccount("a/b")), OK);
    assertThat(MacpIssuerReconciler.mintEvent(already, secured)).isEmpty();
    assertThat(MacpIssuerReconciler.mintEvent(status(secured), none)).isPresent();

    MintState missing = MintState.of(settings(TestMint.sharedSecret("t")),
        new MintSecretCheck.Result(List.of("Secret ns/t does not exist"), List.of()));
    assertThat(MacpIssuerReconciler.mintEvent(status(secured), missing))
        .hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo("MintSecretUnusable"));
    assertThat(MacpIssuerReconciler.mintEvent(status(missing), missing)).isEmpty();
    MintState otherMissing = MintState.of(settings(TestMint.sharedSecret("t")),
        new MintSecretCheck.Result(List.of("Secret ns/u does not exist"), List.of()));
    assertThat(MacpIssuerReconciler.mintEvent(status(missing), otherMissing)).isPresent();
  }

  private static MacpIssuerStatus status(MintState mint) {
    return IssuerStatusBuilder.build(new IssuerStatusBuilder.Input(1L, null, List.of(),
        KeysState.untouched(), Availability.NO_DEPLOYMENT, null, null, null, null,
        TestKeys.T0, mint));
  }
}
