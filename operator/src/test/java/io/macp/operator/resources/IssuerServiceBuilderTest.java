package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerEndpoints;
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
    assertThat(service.getSpec().getPorts()).hasSize(2);
    assertThat(service.getSpec().getPorts().get(0)).satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(3200);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo(IssuerDeploymentBuilder.PORT_NAME);
      assertThat(p.getName()).isEqualTo("http");
    });
    // JWKS, discovery, health and metrics only; the NetworkPolicy never restricts it
    assertThat(service.getSpec().getPorts().get(1)).satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(3201);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo(IssuerDeploymentBuilder.PUBLIC_PORT_NAME);
      assertThat(p.getName()).isEqualTo("public");
      assertThat(p.getProtocol()).isEqualTo("TCP");
    });
    // the named target ports exist on the pods, with the numbers the issuer listens on
    assertThat(IssuerDeploymentBuilder.build(issuer).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getPorts())
        .extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactly("http=3200", "public=3201");
  }

  @Test
  void typeAndPortFollowTheSpec() {
    MacpIssuer issuer = TestIssuers.issuer("ns", "auth");
    issuer.getSpec().getService().setType("LoadBalancer");
    issuer.getSpec().getService().setPort(443);
    issuer.getSpec().getService().setPublicPort(8443);
    Service service = IssuerServiceBuilder.build(issuer);
    assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(443);
    assertThat(service.getSpec().getPorts().get(1).getPort()).isEqualTo(8443);
    // the Service selects exactly the pods the Deployment makes
    assertThat(service.getSpec().getSelector())
        .isEqualTo(IssuerDeploymentBuilder.build(issuer).getSpec().getSelector().getMatchLabels());
  }

  @Test
  void endpointsFollowTheServicePort() {
    MacpIssuer issuer = TestIssuers.issuer("team-a", "auth");
    issuer.getSpec().getService().setPort(8080);
    assertThat(IssuerEndpoints.jwksUrl(issuer))
        .isEqualTo("http://auth.team-a.svc:3201/.well-known/jwks.json");
    assertThat(IssuerEndpoints.mintUrl(issuer)).isEqualTo("http://auth.team-a.svc:8080/tokens");
    issuer.getSpec().getService().setPublicPort(8081);
    assertThat(IssuerEndpoints.jwksUrl(issuer))
        .isEqualTo("http://auth.team-a.svc:8081/.well-known/jwks.json");
    assertThat(IssuerEndpoints.issuerClaim(issuer)).isEqualTo("http://auth.team-a.svc:8080");
  }

  @Test
  void discoveryNamesThePublicPortUnlessTheIssuerUrlPointsElsewhere() {
    MacpIssuer issuer = TestIssuers.issuer("team-a", "auth");
    // the default issuer URL is the Service's: the JWKS is on its public port
    assertThat(IssuerEndpoints.discoveryPublicUrl(issuer)).hasValue("http://auth.team-a.svc:3201");
    // an explicit issuer URL on the Service's own host also gets the public port
    issuer.getSpec().setIssuer("http://auth.team-a.svc.cluster.local:3200");
    assertThat(IssuerEndpoints.discoveryPublicUrl(issuer))
        .hasValue("http://auth.team-a.svc.cluster.local:3201");
    // a bare name gives discovery no URL: the Service's public URL
    issuer.getSpec().setIssuer("macp-auth-service");
    assertThat(IssuerEndpoints.discoveryPublicUrl(issuer)).hasValue("http://auth.team-a.svc:3201");
    // an issuer URL elsewhere (an ingress) says where the JWKS is
    issuer.getSpec().setIssuer("https://issuer.team-a.example");
    assertThat(IssuerEndpoints.discoveryPublicUrl(issuer)).isEmpty();
    issuer.getSpec().setIssuer("https://auth.team-b.svc:3200");
    assertThat(IssuerEndpoints.discoveryPublicUrl(issuer)).isEmpty();
  }
}
