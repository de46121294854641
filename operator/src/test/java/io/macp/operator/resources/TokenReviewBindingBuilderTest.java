package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import org.junit.jupiter.api.Test;

class TokenReviewBindingBuilderTest {
  private static MacpIssuer issuer(String ns, String name) {
    return TestMint.withMint(TestIssuers.issuer(ns, name), TestMint.serviceAccount("x/y"));
  }

  @Test
  void bindsTheTokenReviewRoleToTheIssuersOwnAccountOnly() {
    MacpIssuer issuer = issuer("team-a", "auth");
    ClusterRoleBinding b = TokenReviewBindingBuilder.build(issuer);
    assertThat(b.getMetadata().getName()).isEqualTo("macp-issuer-tokenreview:team-a:auth");
    assertThat(b.getMetadata().getNamespace()).isNull();
    assertThat(b.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(b.getMetadata().getLabels()).isEqualTo(IssuerNames.labels(issuer));
    assertThat(b.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(b.getRoleRef().getName()).isEqualTo(IssuerNames.TOKENREVIEW_CLUSTER_ROLE);
    assertThat(b.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(b.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(IssuerServiceAccountBuilder.build(issuer).getMetadata().getName());
      assertThat(s.getNamespace()).isEqualTo("team-a");
    });
  }

  @Test
  void namesNeverCollideAcrossNamespaces() {
    assertThat(IssuerNames.tokenReviewBinding(issuer("a-b", "c")))
        .isNotEqualTo(IssuerNames.tokenReviewBinding(issuer("a", "b-c")));
  }

  @Test
  void anExistingBindingIsKeptOnlyWhenItGrantsTheSame() {
    ClusterRoleBinding desired = TokenReviewBindingBuilder.build(issuer("ns", "auth"));
    // the API server fills in a subject's apiGroup: still the same grant
    ClusterRoleBinding stored = new ClusterRoleBindingBuilder(desired)
        .editFirstSubject().withApiGroup("").endSubject().build();
    assertThat(TokenReviewBindingBuilder.grantsTheSame(stored, desired)).isTrue();
    ClusterRoleBinding otherRole = new ClusterRoleBindingBuilder(desired)
        .editRoleRef().withName("cluster-admin").endRoleRef().build();
    assertThat(TokenReviewBindingBuilder.grantsTheSame(otherRole, desired)).isFalse();
    ClusterRoleBinding extraSubject = new ClusterRoleBindingBuilder(desired)
        .addNewSubject().withKind("Group").withName("system:authenticated").endSubject().build();
    assertThat(TokenReviewBindingBuilder.grantsTheSame(extraSubject, desired)).isFalse();
  }

  @Test
  void onlyTheIssuersOwnTokenReviewBindingCountsAsItsBinding() {
    MacpIssuer issuer = issuer("ns", "auth");
    ClusterRoleBinding ours = TokenReviewBindingBuilder.build(issuer);
    assertThat(TokenReviewBindingBuilder.isBindingOf(ours, issuer)).isTrue();
    // another issuer's binding, one granting another role, or one without our marks: never ours
    assertThat(TokenReviewBindingBuilder.isBindingOf(ours, issuer("ns", "other"))).isFalse();
    assertThat(TokenReviewBindingBuilder.isBindingOf(ours, issuer("other", "auth"))).isFalse();
    assertThat(TokenReviewBindingBuilder.isBindingOf(new ClusterRoleBindingBuilder(ours)
        .editRoleRef().withName("cluster-admin").endRoleRef().build(), issuer)).isFalse();
    assertThat(TokenReviewBindingBuilder.isBindingOf(new ClusterRoleBindingBuilder(ours)
        .editMetadata().withAnnotations(null).endMetadata().build(), issuer)).isFalse();
    assertThat(TokenReviewBindingBuilder.isBindingOf(new ClusterRoleBindingBuilder(ours)
        .editMetadata().addToAnnotations(TokenReviewBindingBuilder.ISSUER_NAME_ANNOTATION, "x")
        .endMetadata().build(), issuer)).isFalse();
    assertThat(TokenReviewBindingBuilder.isBindingOf(new ClusterRoleBindingBuilder(ours)
        .editMetadata().withLabels(null).endMetadata().build(), issuer)).isFalse();
    assertThat(TokenReviewBindingBuilder.isBindingOf(new ClusterRoleBindingBuilder(ours)
        .editMetadata().withName("cluster-admin").endMetadata().build(), issuer)).isFalse();
  }
}
