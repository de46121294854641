package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.util.TreeMap;

/**
 * The issuer's Service: spec.service.port (everything, the mint included) and
 * spec.service.publicPort (JWKS, discovery, health, metrics) on the pods' named ports, so the
 * container ports can move.
 */
public final class IssuerServiceBuilder {
  private IssuerServiceBuilder() {}

  public static Service build(MacpIssuer issuer) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(IssuerNames.service(issuer))
        .withNamespace(issuer.getMetadata().getNamespace())
        .withLabels(new TreeMap<>(IssuerNames.labels(issuer)))
        .endMetadata()
        .withNewSpec()
        .withType(IssuerSpecs.serviceType(issuer))
        .withSelector(new TreeMap<>(IssuerNames.podSelector(issuer)))
        .addNewPort()
        .withName(IssuerDeploymentBuilder.PORT_NAME)
        .withProtocol("TCP")
        .withPort(IssuerSpecs.servicePort(issuer))
        .withTargetPort(new IntOrString(IssuerDeploymentBuilder.PORT_NAME))
        .endPort()
        .addNewPort()
        .withName(IssuerDeploymentBuilder.PUBLIC_PORT_NAME)
        .withProtocol("TCP")
        .withPort(IssuerSpecs.servicePublicPort(issuer))
        .withTargetPort(new IntOrString(IssuerDeploymentBuilder.PUBLIC_PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
