package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The subject list of the one ClusterRoleBinding {@value IssuerNames#TOKENREVIEW_BINDING} that
 * deploy/ installs: it binds the ClusterRole {@value IssuerNames#TOKENREVIEW_CLUSTER_ROLE}
 * ({@code create tokenreviews} only) to the ServiceAccount {@code <name>-issuer} of every
 * ServiceAccount-mode issuer. A ClusterRoleBinding, because TokenReviews are cluster-scoped and a
 * RoleBinding cannot grant them. The operator never creates or deletes a binding: it reads and
 * updates this one by name ({@code resourceNames} in its RBAC), so a compromised operator cannot
 * delete or write any other binding. Pure: {@link TokenReviewBindingResource} does the I/O.
 */
public final class TokenReviewBindingBuilder {
  private TokenReviewBindingBuilder() {}

  public static boolean wanted(IssuerPolicy policy) {
    return policy.mint().serviceAccountMode();
  }

  /**
   * The binding as deploy/ installs it (tokenreview-clusterrole.yaml; InstallManifestsTest
   * compares the two): the TokenReview role, no subjects. For clusters without deploy/, such as
   * the embedded one.
   */
  public static ClusterRoleBinding installed() {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(IssuerNames.TOKENREVIEW_BINDING)
        .addToLabels("app.kubernetes.io/name", IssuerNames.MANAGED_BY)
        .addToLabels("app.kubernetes.io/part-of", IssuerNames.MANAGED_BY)
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(IssuerNames.TOKENREVIEW_CLUSTER_ROLE)
        .endRoleRef()
        .build();
  }

  /** The issuer pods' ServiceAccount as a subject of the binding. */
  public static Subject subject(MacpIssuer issuer) {
    return new SubjectBuilder()
        .withKind("ServiceAccount")
        .withName(IssuerNames.issuerServiceAccount(issuer))
        .withNamespace(issuer.getMetadata().getNamespace())
        .build();
  }

  /**
   * Whether a binding read from the API grants the TokenReview ClusterRole, and nothing else. Its
   * role reference cannot change after creation, so a binding that passes this check when read
   * still grants the same role when a resourceVersion-locked update lands. Subjects are only ever
   * added to such a binding: a binding of that name that someone replaced by one of another role
   * (say cluster-admin) gets no subject from the operator.
   */
  public static boolean grantsOnlyTokenReviews(ClusterRoleBinding binding) {
    return binding != null
        && binding.getRoleRef() != null
        && "rbac.authorization.k8s.io".equals(binding.getRoleRef().getApiGroup())
        && "ClusterRole".equals(binding.getRoleRef().getKind())
        && IssuerNames.TOKENREVIEW_CLUSTER_ROLE.equals(binding.getRoleRef().getName());
  }

  /** Whether the issuer's ServiceAccount is among the binding's subjects. */
  public static boolean hasSubject(ClusterRoleBinding binding, MacpIssuer issuer) {
    return subjects(binding).stream().anyMatch(s -> same(s, subject(issuer)));
  }

  /** The binding with the issuer's ServiceAccount added, or empty if it is already a subject. */
  public static Optional<ClusterRoleBinding> withSubject(
      ClusterRoleBinding binding, MacpIssuer issuer) {
    if (hasSubject(binding, issuer)) {
      return Optional.empty();
    }
    List<Subject> subjects = new ArrayList<>(subjects(binding));
    subjects.add(subject(issuer));
    return Optional.of(new ClusterRoleBindingBuilder(binding).withSubjects(subjects).build());
  }

  /**
   * The binding without the issuer's ServiceAccount, or empty if it is not a subject. Every other
   * subject (other issuers', other installations', anything a person added) is kept as it is.
   */
  public static Optional<ClusterRoleBinding> withoutSubject(
      ClusterRoleBinding binding, MacpIssuer issuer) {
    if (!hasSubject(binding, issuer)) {
      return Optional.empty();
    }
    Subject ours = subject(issuer);
    List<Subject> subjects = subjects(binding).stream().filter(s -> !same(s, ours)).toList();
    return Optional.of(new ClusterRoleBindingBuilder(binding).withSubjects(subjects).build());
  }

  /** kind, namespace and name: the API server fills in a ServiceAccount subject's apiGroup. */
  private static boolean same(Subject a, Subject b) {
    return Objects.equals(a.getKind(), b.getKind())
        && Objects.equals(a.getNamespace(), b.getNamespace())
        && Objects.equals(a.getName(), b.getName());
  }

  private static List<Subject> subjects(ClusterRoleBinding binding) {
    return binding.getSubjects() == null ? List.of() : binding.getSubjects();
  }
}
