package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.macp.operator.model.MacpIssuer;
import java.util.TreeMap;

/** The issuer's Service: spec.service.port on the pods' named port, so the container port can move. */
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
        .endSpec()
        .build();
  }
}
