package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.macp.operator.model.MacpIssuer;
import org.junit.jupiter.api.Test;

class IssuerServiceBuilderTest {

  @Test
  void defaultsToClusterIpOnPort3200TargetingTheNamedPort() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    Service service = IssuerServiceBuilder.build(issuer);

    assertThat(service.getMetadata().getName()).isEqualTo("auth");
    assertThat(service.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(service.getMetadata().getLabels()).isEqualTo(IssuerNames.labels(issuer));
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getSelector()).isEqualTo(IssuerNames.podSelector(issuer));
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(3200);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo(IssuerDeploymentBuilder.PORT_NAME);
      assertThat(p.getName()).isEqualTo("http");
    });
  }

  @Test
  void typeAndPortFollowTheSpec() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    issuer.getSpec().getService().setType("LoadBalancer");
    issuer.getSpec().getService().setPort(443);
    Service service = IssuerServiceBuilder.build(issuer);
    assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(443);
    // the Service selects exactly the pods the Deployment makes
    assertThat(service.getSpec().getSelector())
        .isEqualTo(IssuerDeploymentBuilder.build(issuer).getSpec().getSelector().getMatchLabels());
  }

  @Test
  void endpointsFollowTheServicePort() {
    MacpIssuer issuer = TestIssuers.issuer("team-a", "auth");
    issuer.getSpec().getService().setPort(8080);
    assertThat(IssuerEndpoints.jwksUrl(issuer))
        .isEqualTo("http://auth.team-a.svc:8080/.well-known/jwks.json");
    assertThat(IssuerEndpoints.mintUrl(issuer)).isEqualTo("http://auth.team-a.svc:8080/tokens");
  }
}
