package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Binds the ClusterRole {@value IssuerNames#TOKENREVIEW_CLUSTER_ROLE} (shipped in deploy/: {@code
 * create tokenreviews} only) to one issuer's ServiceAccount. A ClusterRoleBinding, because
 * TokenReviews are cluster-scoped and a RoleBinding cannot grant them. Cluster-scoped objects
 * cannot be owned by a namespaced MacpIssuer, so it carries no owner reference and the operator
 * deletes it itself.
 */
public final class TokenReviewBindingBuilder {
  /** Annotations naming the issuer, so a person can tell whose binding it is. */
  public static final String ISSUER_NAMESPACE_ANNOTATION = "macp.io/issuer-namespace";
  public static final String ISSUER_NAME_ANNOTATION = "macp.io/issuer-name";

  private TokenReviewBindingBuilder() {}

  public static boolean wanted(MacpIssuer issuer) {
    return IssuerMint.serviceAccountMode(issuer);
  }

  public static ClusterRoleBinding build(MacpIssuer issuer) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(IssuerNames.tokenReviewBinding(issuer))
        .withLabels(new TreeMap<>(IssuerNames.labels(issuer)))
        .addToAnnotations(ISSUER_NAMESPACE_ANNOTATION, issuer.getMetadata().getNamespace())
        .addToAnnotations(ISSUER_NAME_ANNOTATION, issuer.getMetadata().getName())
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(IssuerNames.TOKENREVIEW_CLUSTER_ROLE)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(IssuerNames.issuerServiceAccount(issuer))
        .withNamespace(issuer.getMetadata().getNamespace())
        .endSubject()
        .build();
  }

  /** Whether an existing binding grants exactly what {@link #build} would, to exactly whom. */
  public static boolean grantsTheSame(ClusterRoleBinding existing, ClusterRoleBinding desired) {
    return existing.getRoleRef() != null
        && Objects.equals(existing.getRoleRef().getApiGroup(), desired.getRoleRef().getApiGroup())
        && Objects.equals(existing.getRoleRef().getKind(), desired.getRoleRef().getKind())
        && Objects.equals(existing.getRoleRef().getName(), desired.getRoleRef().getName())
        && subjects(existing).equals(subjects(desired));
  }

  /**
   * Whether a binding read from the API is this issuer's TokenReview binding, as {@link #build}
   * writes it: its name, the TokenReview ClusterRole, and our label and issuer annotations. Only
   * such a binding may be deleted on the issuer's behalf.
   */
  public static boolean isBindingOf(ClusterRoleBinding binding, MacpIssuer issuer) {
    ClusterRoleBinding desired = build(issuer);
    Map<String, String> labels = binding.getMetadata().getLabels();
    Map<String, String> annotations = binding.getMetadata().getAnnotations();
    return desired.getMetadata().getName().equals(binding.getMetadata().getName())
        && binding.getRoleRef() != null
        && Objects.equals(binding.getRoleRef().getKind(), desired.getRoleRef().getKind())
        && Objects.equals(binding.getRoleRef().getName(), desired.getRoleRef().getName())
        && labels != null
        && IssuerNames.MANAGED_BY.equals(labels.get(IssuerNames.MANAGED_BY_LABEL))
        && annotations != null
        && desired.getMetadata().getAnnotations().entrySet().stream()
            .allMatch(e -> e.getValue().equals(annotations.get(e.getKey())));
  }

  /** kind/namespace/name of each subject: the API server fills in apiGroup on its own. */
  private static List<String> subjects(ClusterRoleBinding binding) {
    return binding.getSubjects() == null ? List.of() : binding.getSubjects().stream()
        .map(s -> s.getKind() + "/" + s.getNamespace() + "/" + s.getName())
        .toList();
  }
}
