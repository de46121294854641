package io.macp.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.SigningAlgorithm;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MintPeerSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import io.macp.operator.reconciler.IssuerTestCluster;
import io.macp.operator.resources.TestMint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssuerSpecValidatorTest {

  @Test
  void defaultsMapToTheReferencePolicy() {
    var result = IssuerSpecValidator.validate(issuer(new MacpIssuerSpec()));
    assertThat(result.valid()).isTrue();
    IssuerPolicy policy = result.policy().orElseThrow();
    assertThat(policy.rotation()).isEqualTo(RotationPolicy.DEFAULTS);
    assertThat(policy.keySpec()).isEqualTo(KeySpec.rs256());
    assertThat(policy.defaultTokenTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.maxTokenTtl()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void mapsGoDurationsAndTheAlgorithm() {
    MacpIssuerSpec spec = IssuerTestCluster.fastSpec();
    spec.getRotation().setPeriod("1h30m");
    var policy = IssuerSpecValidator.validate(issuer(spec)).policy().orElseThrow();
    assertThat(policy.rotation().period()).isEqualTo(Duration.ofMinutes(90));
    assertThat(policy.rotation().verifierCacheTtl()).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.rotation().maxTokenTtl()).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.keySpec().algorithm()).isEqualTo(SigningAlgorithm.ES256);
  }

  @Test
  void theActivationGateIsOffUnlessSetAndMapsToTheKeysetGate() {
    var off = IssuerSpecValidator.validate(issuer(new MacpIssuerSpec())).policy().orElseThrow();
    assertThat(off.activationGate()).isEqualTo(io.macp.keyset.ActivationGate.OFF);
    MacpIssuerSpec spec = new MacpIssuerSpec();
    var gate = new io.macp.operator.model.v1alpha1.ActivationGateSpec();
    gate.setMode("Hold");
    gate.setMaxHold("30m");
    spec.getRotation().setActivationGate(gate);
    var hold = IssuerSpecValidator.validate(issuer(spec)).policy().orElseThrow();
    assertThat(hold.activationGate()).isEqualTo(new io.macp.keyset.ActivationGate(
        io.macp.keyset.ActivationGate.Mode.Hold, Duration.ofMinutes(30)));
    gate.setMaxHold("25h");
    gate.setMode("Block");
    assertThat(IssuerSpecValidator.problems(spec)).containsExactly(
        "spec.rotation.activationGate.mode 'Block' is not one of Off, Observe, Hold");
    gate.setMode("Observe");
    assertThat(IssuerSpecValidator.problems(spec)).containsExactly(
        "spec.rotation.activationGate.maxHold must be from 0s to 24h, got 25h");
  }

  @Test
  void declaredVerifiersAreOffUnlessSetAndTheSelectorIsChecked() {
    var off = IssuerSpecValidator.validate(issuer(new MacpIssuerSpec())).policy().orElseThrow();
    assertThat(off.verifierSelector()).isNull();
    MacpIssuerSpec spec = new MacpIssuerSpec();
    var declared = new io.macp.operator.model.v1alpha1.DeclaredVerifiersSpec();
    spec.setVerifiers(declared);
    assertThat(IssuerSpecValidator.problems(spec)).containsExactly(
        "spec.verifiers.selector is required when spec.verifiers is set");
    declared.setSelector(new io.fabric8.kubernetes.api.model.LabelSelector());
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .contains("spec.verifiers.selector must name at least one label");
    declared.setSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
        .addToMatchLabels("app", "macp-runtime")
        .addNewMatchExpression().withKey("tier").withOperator("In").endMatchExpression()
        .addNewMatchExpression().withKey("x").withOperator("Near").endMatchExpression()
        .addNewMatchExpression().withKey("y").withOperator("Exists").withValues("v")
        .endMatchExpression()
        .build());
    assertThat(IssuerSpecValidator.problems(spec)).containsExactly(
        "spec.verifiers.selector.matchExpressions[0]: In needs at least one value",
        "spec.verifiers.selector.matchExpressions[1].operator 'Near' is not one of In, NotIn,"
            + " Exists, DoesNotExist",
        "spec.verifiers.selector.matchExpressions[2]: Exists takes no values");
    declared.setSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
        .addToMatchLabels("app", "macp-runtime")
        .addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("b", "a")
        .endMatchExpression()
        .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist")
        .endMatchExpression()
        .build());
    var on = IssuerSpecValidator.validate(issuer(spec)).policy().orElseThrow();
    assertThat(on.verifierSelector().describe())
        .isEqualTo("app=macp-runtime,tier notin (b,a),!canary");
    assertThat(on.verifierSelector().toLabelSelector().getMatchLabels())
        .containsExactly(java.util.Map.entry("app", "macp-runtime"));
  }

  @Test
  void explicitNullSubObjectsFallBackToDefaults() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.setRotation(null);
    spec.setSigning(null);
    spec.setTokens(null);
    spec.setService(null);
    assertThat(IssuerSpecValidator.problems(spec)).isEmpty();
  }

  /** A MacpIssuer without spec (or with spec: null) is the defaults: valid, and it builds. */
  @Test
  void anIssuerWithoutSpecIsValidWithTheDefaults() {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName("bare").withNamespace("ns").build());
    issuer.setSpec(null);
    var result = IssuerSpecValidator.validate(issuer);
    assertThat(result.problems()).isEmpty();
    assertThat(result.policy().orElseThrow().rotation()).isEqualTo(RotationPolicy.DEFAULTS);
    assertThat(io.macp.operator.resources.IssuerDeploymentBuilder.build(issuer).getSpec().getReplicas())
        .isEqualTo(2);
  }

  @Test
  void reportsEveryProblemByField() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.getRotation().setPeriod("soon");
    spec.getSigning().setAlgorithm("RS512");
    spec.getTokens().setDefaultTtl("2h");
    spec.setReplicas(0);
    spec.getService().setType("ExternalName");
    spec.getService().setPort(70000);
    assertThat(IssuerSpecValidator.problems(spec)).satisfiesExactlyInAnyOrder(
        p -> assertThat(p).startsWith("spec.signing.algorithm: unsupported signing algorithm 'RS512'"),
        p -> assertThat(p).startsWith("spec.rotation.period: 'soon' is not a duration"),
        p -> assertThat(p).contains("spec.tokens.defaultTtl 2h is longer than spec.tokens.maxTtl 1h"),
        p -> assertThat(p).startsWith("spec.replicas must be at least 1"),
        p -> assertThat(p).startsWith("spec.service.type 'ExternalName'"),
        p -> assertThat(p).startsWith("spec.service.port must be between 1 and 65535"));
  }

  @Test
  void thePublicPortNeedsAPortOfItsOwn() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.getService().setPublicPort(3200);
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .startsWith("spec.service.publicPort must differ from spec.service.port (both 3200)");
    spec.getService().setPublicPort(70000);
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .startsWith("spec.service.publicPort must be between 1 and 65535");
    spec.getService().setPublicPort(null);
    assertThat(IssuerSpecValidator.problems(spec)).isEmpty();
  }

  @Test
  void aPeriodShorterThanTheLeadTimeIsRefusedWithTheArithmetic() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.getRotation().setPeriod("1h");
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().satisfies(p -> assertThat(p)
        .startsWith("spec.rotation: rotation period 1h is shorter than the lead time 1h8m"));
  }

  @Test
  void refusesBadRsaSizesAndBlankNames() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.getSigning().setRsaKeySize(1024);
    spec.setAudience(" ");
    spec.setIssuer("");
    assertThat(IssuerSpecValidator.problems(spec)).hasSize(3)
        .anySatisfy(p -> assertThat(p).startsWith("spec.signing.rsaKeySize: RSA key size 1024"));
  }

  private static MacpIssuer issuer(MacpIssuerSpec spec) {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setSpec(spec);
    return issuer;
  }

  @Test
  void mintIsCheckedByTheIssuersOwnPolicyParser() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.setMint(TestMint.sharedSecret("tokens"));
    assertThat(IssuerSpecValidator.problems(spec)).isEmpty();

    spec.getMint().getClients().get(0).getSenders().add("agent://x/***");
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .startsWith("spec.mint: clients[0].senders").contains("***");

    spec.setMint(TestMint.sharedSecret("tokens"));
    spec.getMint().setSharedSecretRef(null);
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .contains("spec.mint.sharedSecretRef").contains("required");

    spec.setMint(TestMint.serviceAccount("team-a/orchestrator"));
    spec.getMint().setSharedSecretRef("tokens");
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .contains("only used with authentication SharedSecret");

    spec.setMint(TestMint.serviceAccount("team-a/orchestrator"));
    spec.getMint().setAuthentication("None");
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .contains("cannot be used with authentication None");

    spec.setMint(new MintSpec());
    spec.getMint().setAuthentication("Anonymous");
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .startsWith("spec.mint.authentication");

    spec.setMint(new MintSpec());
    spec.getMint().setAllowedFrom(List.of(new MintPeerSpec()));
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .contains("allowedFrom[0] needs a namespaceSelector");
    spec.getMint().setAllowedFrom(List.of());
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .contains("allowedFrom is empty");

    spec.setMint(TestMint.serviceAccount("team-a/orchestrator"));
    spec.getMint().setClients(List.of());
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .contains("clients is empty");
  }

  // ---- bounds and control characters (user report: replicas 100000, NUL in issuer) ----

  @Test
  void replicas100000IsRefusedWithTheBoundTheActivationGateReads() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.setReplicas(100000);
    assertThat(IssuerSpecValidator.problems(spec)).singleElement().asString()
        .startsWith("spec.replicas must be at most 32 (got 100000)");
    spec.setReplicas(MacpIssuerSpec.MAX_REPLICAS);
    assertThat(IssuerSpecValidator.problems(spec)).isEmpty();
    spec.setReplicas(MacpIssuerSpec.MAX_REPLICAS + 1);
    assertThat(IssuerSpecValidator.problems(spec)).hasSize(1);
  }

  @Test
  void controlCharactersInIssuerAndAudienceAreRefused() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.setIssuer("http://x/\n\u0000evil");
    spec.setAudience("aud\u0000\nX");
    assertThat(IssuerSpecValidator.problems(spec)).containsExactly(
        "spec.issuer " + MacpIssuerSpec.NO_CONTROL_MESSAGE + " (U+000A at index 9)",
        "spec.audience " + MacpIssuerSpec.NO_CONTROL_MESSAGE + " (U+0000 at index 3)");
  }

  @Test
  void controlCharactersInEveryStringThatReachesEnvClaimsOrLogsAreRefused() {
    for (String bad : List.of("a\tb", "a\rb", "a\u007fb", "a\u0085b", "a\u009bb")) {
      MacpIssuerSpec spec = new MacpIssuerSpec();
      spec.setImage("ghcr.io/x/issuer:" + bad);
      spec.setPriorityClassName(bad);
      assertThat(IssuerSpecValidator.problems(spec)).as(bad)
          .anyMatch(p -> p.startsWith("spec.image must not contain control characters"))
          .anyMatch(p -> p.startsWith("spec.priorityClassName must not contain control"));
    }
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.setMint(TestMint.sharedSecret("clients"));
    spec.getMint().getClients().get(0).setSenders(List.of("agent://ok", "agent://x\n"));
    assertThat(IssuerSpecValidator.problems(spec))
        .anyMatch(p -> p.startsWith("spec.mint.clients[0].senders[1] must not contain control"));
    // printable non-ASCII stays allowed
    MacpIssuerSpec fine = new MacpIssuerSpec();
    fine.setAudience("macp-rünt\u00efme");
    assertThat(IssuerSpecValidator.problems(fine)).isEmpty();
  }

  @Test
  void listsAndMapsOfTheSpecAreBounded() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    java.util.Map<String, String> labels = new java.util.TreeMap<>();
    for (int i = 0; i < 65; i++) {
      labels.put("l" + i, "v");
    }
    spec.setPodLabels(labels);
    spec.setPodAnnotations(labels);
    spec.setNodeSelector(labels);
    spec.setTolerations(java.util.Collections.nCopies(33,
        new io.fabric8.kubernetes.api.model.Toleration()));
    spec.setImagePullSecrets(java.util.Collections.nCopies(17,
        new io.fabric8.kubernetes.api.model.LocalObjectReference("pull")));
    spec.setTopologySpreadConstraints(java.util.Collections.nCopies(9,
        new io.fabric8.kubernetes.api.model.TopologySpreadConstraint()));
    assertThat(IssuerSpecValidator.problems(spec)).containsExactlyInAnyOrder(
        "spec.imagePullSecrets has 17 entries; at most 16 are allowed",
        "spec.topologySpreadConstraints has 9 entries; at most 8 are allowed",
        "spec.tolerations has 33 entries; at most 32 are allowed",
        "spec.podLabels has 65 entries; at most 64 are allowed",
        "spec.podAnnotations has 65 entries; at most 64 are allowed",
        "spec.nodeSelector has 65 entries; at most 64 are allowed");
  }

  @Test
  void period999999999hGivesOneBoundMessage() {
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.getRotation().setPeriod("999999999h");
    assertThat(IssuerSpecValidator.problems(spec)).containsExactly(
        "spec.rotation.period must be at most 8760h (got 999999999h)");
    spec.getRotation().setPeriod("8760h");
    spec.getTokens().setMaxTtl("8761h");
    assertThat(IssuerSpecValidator.problems(spec)).containsExactly(
        "spec.tokens.maxTtl must be at most 8760h (got 8761h)");
  }
}
