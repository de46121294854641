package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import java.util.TreeMap;

/**
 * The issuer pods' own ServiceAccount {@code <name>-issuer}, only in ServiceAccount mode: it may
 * create TokenReviews and nothing else (see {@link TokenReviewBindingBuilder}). No token is
 * automounted; the pods mount one projected token for the review calls only.
 */
public final class IssuerServiceAccountBuilder {
  private IssuerServiceAccountBuilder() {}

  public static boolean wanted(IssuerPolicy policy) {
    return policy.mint().serviceAccountMode();
  }

  /** For a valid issuer, validating its spec (tests and tools). */
  public static boolean wanted(MacpIssuer issuer) {
    return wanted(IssuerSpecValidator.policyOf(issuer));
  }

  /** Its name is the issuer's; nothing in it comes from the spec. */
  public static ServiceAccount build(MacpIssuer issuer) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(IssuerNames.issuerServiceAccount(issuer))
        .withNamespace(issuer.getMetadata().getNamespace())
        .withLabels(new TreeMap<>(IssuerNames.labels(issuer)))
        .endMetadata()
        .withAutomountServiceAccountToken(false)
        .build();
  }
}
