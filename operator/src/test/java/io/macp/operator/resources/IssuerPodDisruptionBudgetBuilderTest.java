package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import org.junit.jupiter.api.Test;

class IssuerPodDisruptionBudgetBuilderTest {

  @Test
  void onlyWantedForMoreThanOneReplica() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    HasMultipleReplicasCondition condition = new HasMultipleReplicasCondition();

    issuer.getSpec().setReplicas(1);
    assertThat(IssuerPodDisruptionBudgetBuilder.wanted(issuer)).isFalse();
    assertThat(condition.isMet(null, issuer, null)).isFalse();

    issuer.getSpec().setReplicas(2);
    assertThat(IssuerPodDisruptionBudgetBuilder.wanted(issuer)).isTrue();
    assertThat(condition.isMet(null, issuer, null)).isTrue();

    issuer.getSpec().setReplicas(null); // the model's default is 2
    assertThat(condition.isMet(null, issuer, null)).isTrue();
  }

  @Test
  void allowsOnePodDownAndSelectsTheIssuerPods() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    issuer.getSpec().setReplicas(3);
    PodDisruptionBudget pdb = IssuerPodDisruptionBudgetBuilder.build(issuer);

    assertThat(pdb.getMetadata().getName()).isEqualTo("auth");
    assertThat(pdb.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(pdb.getMetadata().getLabels()).isEqualTo(IssuerNames.labels(issuer));
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(IssuerNames.podSelector(issuer));
  }
}
