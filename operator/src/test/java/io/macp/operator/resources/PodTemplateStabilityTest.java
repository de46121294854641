package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.keyset.KeySetPlanner;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.RotationRequests;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.ActivationGateSpec;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.policy.IssuerSpecValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Rotation never restarts a pod: everything that changes with keys or time (the key Secret, status,
 * annotations, resourceVersion) must leave the pod template byte-identical.
 */
class PodTemplateStabilityTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void podTemplateDependsOnlyOnTheSpec() throws InterruptedException {
    MacpIssuer before = TestIssuers.issuer("ns", "auth");
    before.getMetadata().setResourceVersion("100");
    before.getMetadata().setGeneration(1L);
    before.setStatus(status("kid-a", Instant.parse("2026-11-23T10:00:00Z")));

    String templateBefore = IssuerDeploymentBuilder.podTemplateYaml(before);
    String deploymentBefore =
        SERIALIZATION.asYaml(new IssuerDeploymentDependentResource().desired(before, null).getSpec());

    // past a second boundary, so a timestamp of any resolution in the template would show
    Thread.sleep(1100);
    // a rotation later: new keys, new status, a rotate request, a newer resourceVersion
    MacpIssuer after = SERIALIZATION.clone(before);
    after.getMetadata().setResourceVersion("987");
    after.getMetadata().setAnnotations(Map.of("macp.io/rotate", "2026-11-23-1"));
    after.setStatus(status("kid-b", Instant.parse("2026-11-24T10:00:00Z")));

    assertThat(IssuerDeploymentBuilder.podTemplateYaml(after)).isEqualTo(templateBefore);
    assertThat(SERIALIZATION.asYaml(new IssuerDeploymentDependentResource().desired(after, null).getSpec()))
        .isEqualTo(deploymentBefore);
  }

  @Test
  void twoDifferentKeySetsLeaveTheTemplateUnchanged() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    issuer.getSpec().getSigning().setAlgorithm("ES256");
    RotationPolicy policy =
        new RotationPolicy(
            Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ofSeconds(2));
    Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
    KeySetPlanner planner = new KeySetPlanner(KeyGenerator.secure());
    KeySet first =
        planner.plan(KeySet.empty(), policy, KeySpec.es256(), t0, RotationRequests.NONE).desired();
    KeySet later =
        planner.plan(first, policy, KeySpec.es256(), t0.plusSeconds(7), RotationRequests.NONE).desired();
    assertThat(KeySetJson.write(later)).isNotEqualTo(KeySetJson.write(first));

    String withFirst = templateWithKeySecret(issuer, KeySetJson.write(first));
    String withLater = templateWithKeySecret(issuer, KeySetJson.write(later));
    assertThat(withLater).isEqualTo(withFirst);
    // the template references the Secret by name only, never its content
    assertThat(withFirst).contains(IssuerNames.keySecret(issuer)).doesNotContain("\"kid\"");
  }

  /**
   * Policy changes restart no pod: the schedule reaches the pods only as the key set's timestamps,
   * the token TTLs and the JWKS cache TTL as the key set's settings, the algorithm and RSA size as
   * the keys themselves; the activation gate is the operator's alone (the pods always serve
   * GET /verifiers to the key Secret's observer token). So changing any of them leaves the whole desired template, serialized,
   * byte-identical.
   */
  @Test
  void policyChangesLeaveThePodTemplateByteIdentical() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    String before = templateYaml(issuer);
    List<Consumer<MacpIssuerSpec>> changes = List.of(
        s -> s.getRotation().setPeriod("48h"),
        s -> s.getRotation().setVerifierCacheTtl("1m"),
        s -> s.getRotation().setVerifierStaleGrace("10m"),
        s -> s.getRotation().setPropagationDelay("30s"),
        s -> s.getRotation().setClockSkew("5s"),
        s -> s.getTokens().setDefaultTtl("90s"),
        s -> s.getTokens().setMaxTtl("2h"),
        s -> s.getSigning().setAlgorithm("ES256"),
        s -> s.getSigning().setRsaKeySize(4096),
        s -> s.getRotation().setActivationGate(gate("Observe", null)),
        s -> s.getRotation().setActivationGate(gate("Hold", "30m")));
    for (var change : changes) {
      MacpIssuer changed = SERIALIZATION.clone(issuer);
      change.accept(changed.getSpec());
      assertThat(SERIALIZATION.asJson(changed.getSpec()))
          .isNotEqualTo(SERIALIZATION.asJson(issuer.getSpec()));
      // each change is valid on its own, so the template is really built from it
      assertThat(IssuerSpecValidator.validate(changed).problems()).isEmpty();
      assertThat(templateYaml(changed)).isEqualTo(before);
    }
  }

  private static ActivationGateSpec gate(String mode, String maxHold) {
    ActivationGateSpec gate = new ActivationGateSpec();
    gate.setMode(mode);
    if (maxHold != null) {
      gate.setMaxHold(maxHold);
    }
    return gate;
  }

  private static String templateYaml(MacpIssuer issuer) {
    return SERIALIZATION.asYaml(
        new IssuerDeploymentDependentResource().desired(issuer, null).getSpec().getTemplate());
  }

  @Test
  void aSpecChangeDoesChangeTheTemplate() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    String before = IssuerDeploymentBuilder.podTemplateYaml(issuer);
    issuer.getSpec().setAudience("another-runtime");
    assertThat(IssuerDeploymentBuilder.podTemplateYaml(issuer)).isNotEqualTo(before);
  }

  /** The Deployment as built while the key Secret holds {@code keySetJson}. */
  private static String templateWithKeySecret(MacpIssuer issuer, String keySetJson) {
    // the Secret exists alongside; nothing of it may flow into the template
    new SecretBuilder()
        .withNewMetadata()
        .withName(IssuerNames.keySecret(issuer))
        .endMetadata()
        .addToStringData(IssuerNames.KEYSET_KEY, keySetJson)
        .build();
    return IssuerDeploymentBuilder.podTemplateYaml(issuer);
  }

  private static MacpIssuerStatus status(String activeKid, Instant at) {
    MacpIssuerStatus status = new MacpIssuerStatus();
    status.setActiveKid(activeKid);
    status.setNextRotationAt(at.plusSeconds(86400).toString());
    KeyStatus key = new KeyStatus();
    key.setKid(activeKid);
    key.setPhase("Active");
    key.setActivateAt(at.toString());
    status.setKeys(List.of(key));
    return status;
  }
}
