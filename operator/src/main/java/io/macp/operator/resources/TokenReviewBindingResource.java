package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.macp.operator.model.v1alpha1.MacpIssuer;

/**
 * Keeps the TokenReview ClusterRoleBinding of one issuer ({@link TokenReviewBindingBuilder}).
 * Written by hand rather than as a JOSDK dependent: a dependent needs an informer, i.e. list and
 * watch on every ClusterRoleBinding of the cluster, while this needs get, create and delete of
 * one binding by name.
 */
public final class TokenReviewBindingResource {
  private final KubernetesClient client;

  public TokenReviewBindingResource(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Creates the binding, or replaces one of that name that grants something else (the role
   * reference of a binding cannot be updated).
   *
   * @return the binding's name
   */
  public String ensure(MacpIssuer issuer) {
    ClusterRoleBinding desired = TokenReviewBindingBuilder.build(issuer);
    String name = desired.getMetadata().getName();
    ClusterRoleBinding existing = client.rbac().clusterRoleBindings().withName(name).get();
    if (existing != null && TokenReviewBindingBuilder.grantsTheSame(existing, desired)) {
      return name;
    }
    if (existing != null) {
      client.rbac().clusterRoleBindings().withName(name).delete();
    }
    try {
      client.rbac().clusterRoleBindings().resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // created concurrently: checked again on the next reconcile
    }
    return name;
  }

  /**
   * Deletes this issuer's binding: only the name derived from the issuer, never one read from
   * status (anyone who can patch status could name cluster-admin there), and only when a fresh
   * read shows it is the one {@link TokenReviewBindingBuilder} writes for this issuer. The delete
   * is conditional on the resourceVersion read, so a binding replaced meanwhile is left alone.
   *
   * @return whether a binding was deleted
   */
  public boolean deleteIfOwnedBy(MacpIssuer issuer) {
    String name = IssuerNames.tokenReviewBinding(issuer);
    ClusterRoleBinding existing = client.rbac().clusterRoleBindings().withName(name).get();
    if (existing == null || !TokenReviewBindingBuilder.isBindingOf(existing, issuer)) {
      return false;
    }
    try {
      client.rbac().clusterRoleBindings().resource(existing)
          .lockResourceVersion(existing.getMetadata().getResourceVersion()).delete();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return false; // changed since read: checked again on the next pass
    }
  }
}
