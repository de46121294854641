/**
 * The {@code macp.io/v1alpha1} MacpIssuer model: spec, status and their parts, policy only.
 *
 * <p>Every class ignores fields it does not know ({@code @JsonIgnoreProperties(ignoreUnknown =
 * true)}): an object written under a newer CRD (after a rollback), or kept unpruned by an API
 * server such as the embedded one, must not stop the operator's informer, which would stop
 * reconciling every issuer. A real API server prunes unknown fields (structural schema) and
 * {@code kubectl apply} warns about them.
 */
package io.macp.operator.model.v1alpha1;
