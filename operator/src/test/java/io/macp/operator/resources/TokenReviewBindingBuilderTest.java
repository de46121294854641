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

  /** As deploy/ installs it: the TokenReview role, no subjects yet. */
  private static ClusterRoleBinding installed() {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata().withName(IssuerNames.TOKENREVIEW_BINDING).withResourceVersion("7")
        .endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName(IssuerNames.TOKENREVIEW_CLUSTER_ROLE).endRoleRef()
        .build();
  }

  @Test
  void theSubjectIsTheIssuersOwnAccount() {
    MacpIssuer issuer = issuer("team-a", "auth");
    var subject = TokenReviewBindingBuilder.subject(issuer);
    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
    assertThat(subject.getName())
        .isEqualTo(IssuerServiceAccountBuilder.build(issuer).getMetadata().getName());
    assertThat(subject.getNamespace()).isEqualTo("team-a");
  }

  @Test
  void addingKeepsOtherSubjectsTheRoleAndTheResourceVersion() {
    ClusterRoleBinding one = TokenReviewBindingBuilder.withSubject(installed(), issuer("a", "x"))
        .orElseThrow();
    ClusterRoleBinding two = TokenReviewBindingBuilder.withSubject(one, issuer("b", "x"))
        .orElseThrow();
    assertThat(two.getSubjects()).extracting(s -> s.getNamespace() + "/" + s.getName())
        .containsExactly("a/x-issuer", "b/x-issuer");
    assertThat(two.getRoleRef()).isEqualTo(installed().getRoleRef());
    // the update is locked to what was read
    assertThat(two.getMetadata().getResourceVersion()).isEqualTo("7");
    // already there: nothing to write
    assertThat(TokenReviewBindingBuilder.withSubject(two, issuer("a", "x"))).isEmpty();
  }

  @Test
  void aSubjectTheApiServerFilledInCountsAsTheSame() {
    ClusterRoleBinding stored = new ClusterRoleBindingBuilder(
        TokenReviewBindingBuilder.withSubject(installed(), issuer("a", "x")).orElseThrow())
        .editFirstSubject().withApiGroup("").endSubject().build();
    assertThat(TokenReviewBindingBuilder.hasSubject(stored, issuer("a", "x"))).isTrue();
    assertThat(TokenReviewBindingBuilder.withSubject(stored, issuer("a", "x"))).isEmpty();
  }

  @Test
  void removingTakesOnlyTheIssuersOwnSubject() {
    ClusterRoleBinding withOthers = new ClusterRoleBindingBuilder(installed())
        .addNewSubject().withKind("ServiceAccount").withNamespace("a").withName("x-issuer")
        .endSubject()
        // same name in another namespace, another kind with the same name: not this issuer's
        .addNewSubject().withKind("ServiceAccount").withNamespace("b").withName("x-issuer")
        .endSubject()
        .addNewSubject().withKind("User").withNamespace("a").withName("x-issuer").endSubject()
        .build();
    ClusterRoleBinding removed =
        TokenReviewBindingBuilder.withoutSubject(withOthers, issuer("a", "x")).orElseThrow();
    assertThat(removed.getSubjects()).extracting(s -> s.getKind() + ":" + s.getNamespace() + "/"
        + s.getName()).containsExactly("ServiceAccount:b/x-issuer", "User:a/x-issuer");
    assertThat(TokenReviewBindingBuilder.withoutSubject(removed, issuer("a", "x"))).isEmpty();
    assertThat(TokenReviewBindingBuilder.withoutSubject(installed(), issuer("a", "x"))).isEmpty();
  }

  @Test
  void onlyABindingOfTheTokenReviewRoleGetsSubjects() {
    assertThat(TokenReviewBindingBuilder.grantsOnlyTokenReviews(installed())).isTrue();
    assertThat(TokenReviewBindingBuilder.grantsOnlyTokenReviews(new ClusterRoleBindingBuilder(
        installed()).editRoleRef().withName("cluster-admin").endRoleRef().build())).isFalse();
    assertThat(TokenReviewBindingBuilder.grantsOnlyTokenReviews(new ClusterRoleBindingBuilder(
        installed()).editRoleRef().withKind("Role").endRoleRef().build())).isFalse();
    assertThat(TokenReviewBindingBuilder.grantsOnlyTokenReviews(new ClusterRoleBindingBuilder(
        installed()).editRoleRef().withApiGroup("example.com").endRoleRef().build())).isFalse();
    assertThat(TokenReviewBindingBuilder.grantsOnlyTokenReviews(
        new ClusterRoleBindingBuilder(installed()).withRoleRef(null).build())).isFalse();
    assertThat(TokenReviewBindingBuilder.grantsOnlyTokenReviews(null)).isFalse();
  }

  @Test
  void theLegacyPerIssuerNameStillNeverCollidesAcrossNamespaces() {
    assertThat(IssuerNames.legacyTokenReviewBinding(issuer("a-b", "c")))
        .isEqualTo("macp-issuer-tokenreview:a-b:c")
        .isNotEqualTo(IssuerNames.legacyTokenReviewBinding(issuer("a", "b-c")));
  }
}
