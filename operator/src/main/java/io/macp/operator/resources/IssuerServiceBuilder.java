package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import java.util.TreeMap;

/**
 * The issuer's Service: spec.service.port (everything, the mint included) and
 * spec.service.publicPort (JWKS, discovery, health, metrics) on the pods' named ports, so the
 * container ports can move.
 */
public final class IssuerServiceBuilder {
  private IssuerServiceBuilder() {}

  /** For a valid issuer, validating its spec (tests and tools); a reconcile passes its policy. */
  public static Service build(MacpIssuer issuer) {
    return build(issuer, IssuerSpecValidator.policyOf(issuer));
  }

  /** @param policy the spec as validated by this reconcile (spec.service) */
  public static Service build(MacpIssuer issuer, IssuerPolicy policy) {
    IssuerPolicy.ServiceSettings service = policy.service();
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(IssuerNames.service(issuer))
        .withNamespace(issuer.getMetadata().getNamespace())
        .withLabels(new TreeMap<>(IssuerNames.labels(issuer)))
        .endMetadata()
        .withNewSpec()
        .withType(service.type())
        .withSelector(new TreeMap<>(IssuerNames.podSelector(issuer)))
        .addNewPort()
        .withName(IssuerDeploymentBuilder.PORT_NAME)
        .withProtocol("TCP")
        .withPort(service.port())
        .withTargetPort(new IntOrString(IssuerDeploymentBuilder.PORT_NAME))
        .endPort()
        .addNewPort()
        .withName(IssuerDeploymentBuilder.PUBLIC_PORT_NAME)
        .withProtocol("TCP")
        .withPort(service.publicPort())
        .withTargetPort(new IntOrString(IssuerDeploymentBuilder.PUBLIC_PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
