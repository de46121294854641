package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.util.Objects;

/**
 * Reconcile precondition of the Deployment: issuer pods are first created only once the key
 * Secret exists, so no pod ever starts without keys.
 *
 * <p>Once the Deployment exists the condition stays met even if the Secret vanishes: JOSDK deletes
 * a dependent whose reconcile precondition fails, and a Secret deleted by hand must not take the
 * running pods with it (they keep their mounted keys; the reconciler recreates the Secret).
 *
 * <p>The Secret is looked up in every Secret event source the controller has (the reconciler's
 * label-selected informer), then, if the cache has not seen it yet (it was created moments ago),
 * with one GET of that single Secret: never a list of Secrets.
 */
public class KeySecretReadyCondition implements Condition<Deployment, MacpIssuer> {

  @Override
  public boolean isMet(
      DependentResource<Deployment, MacpIssuer> dependentResource,
      MacpIssuer primary,
      Context<MacpIssuer> context) {
    if (dependentResource.getSecondaryResource(primary, context).isPresent()) {
      return true;
    }
    return keySecretExists(primary, context);
  }

  static boolean keySecretExists(MacpIssuer primary, Context<MacpIssuer> context) {
    String name = IssuerNames.keySecret(primary);
    String namespace = primary.getMetadata().getNamespace();
    boolean cached =
        context
            .getSecondaryResourcesAsStream(Secret.class)
            .anyMatch(
                secret ->
                    name.equals(secret.getMetadata().getName())
                        && Objects.equals(namespace, secret.getMetadata().getNamespace()));
    if (cached) {
      return true;
    }
    return context.getClient().secrets().inNamespace(namespace).withName(name).get() != null;
  }
}
