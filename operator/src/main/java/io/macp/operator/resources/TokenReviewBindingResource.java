package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Adds and removes one issuer's ServiceAccount in the subjects of the installed ClusterRoleBinding
 * {@value IssuerNames#TOKENREVIEW_BINDING} ({@link TokenReviewBindingBuilder}). Only {@code get}
 * and {@code update} of that one name: no informer (which would need list and watch on every
 * binding of the cluster), no create, no delete. Issuers are reconciled in parallel, so each
 * update is locked to the resourceVersion read and retried on a conflict.
 */
public final class TokenReviewBindingResource {
  /** Conflicts only come from other issuers' updates; past this the reconcile is retried. */
  static final int MAX_ATTEMPTS = 8;

  private final KubernetesClient client;

  public TokenReviewBindingResource(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Makes the issuer's ServiceAccount a subject of the binding.
   *
   * @return the binding's name
   * @throws TokenReviewBindingException if the binding is missing (deploy/ not installed; the
   *     operator may not create it) or grants another role than the TokenReview one
   */
  public String grant(MacpIssuer issuer) {
    update(issuer, TokenReviewBindingBuilder::withSubject, true);
    return IssuerNames.TOKENREVIEW_BINDING;
  }

  /**
   * Removes the issuer's ServiceAccount from the binding's subjects, and nothing else. A missing
   * binding grants nothing, so there is nothing to remove.
   *
   * @return whether the subject was there and is now removed
   */
  public boolean revoke(MacpIssuer issuer) {
    return update(issuer, TokenReviewBindingBuilder::withoutSubject, false);
  }

  private boolean update(
      MacpIssuer issuer,
      BiFunction<ClusterRoleBinding, MacpIssuer, Optional<ClusterRoleBinding>> change,
      boolean granting) {
    var resource = client.rbac().clusterRoleBindings().withName(IssuerNames.TOKENREVIEW_BINDING);
    return OptimisticUpdate.retry(MAX_ATTEMPTS, () -> {
      ClusterRoleBinding existing = resource.get();
      if (existing == null) {
        if (!granting) {
          return false;
        }
        throw new TokenReviewBindingException("the ClusterRoleBinding "
            + IssuerNames.TOKENREVIEW_BINDING + " is missing: install it from deploy/"
            + " (the operator only updates its subjects, it never creates bindings)");
      }
      if (granting && !TokenReviewBindingBuilder.grantsOnlyTokenReviews(existing)) {
        throw new TokenReviewBindingException("the ClusterRoleBinding "
            + IssuerNames.TOKENREVIEW_BINDING + " does not bind the ClusterRole "
            + IssuerNames.TOKENREVIEW_CLUSTER_ROLE + "; no ServiceAccount is added to it");
      }
      Optional<ClusterRoleBinding> changed = change.apply(existing, issuer);
      if (changed.isEmpty()) {
        return false;
      }
      // update() sends the resourceVersion read above: a concurrent change answers 409
      client.rbac().clusterRoleBindings().resource(changed.get()).update();
      return true;
    }, last -> new TokenReviewBindingException("the ClusterRoleBinding "
        + IssuerNames.TOKENREVIEW_BINDING + " kept changing; retried " + MAX_ATTEMPTS + " times"));
  }

  /** The binding cannot be used; the message says why and names no secret. */
  public static final class TokenReviewBindingException extends RuntimeException {
    TokenReviewBindingException(String message) {
      super(message);
    }
  }
}
