package io.macp.operator.verifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.macp.devcluster.EmbeddedCluster;
import io.macp.devcluster.InProcessIssuerLauncher;
import io.macp.devcluster.ReplicaView;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerEndpoints;
import io.macp.operator.resources.IssuerNames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Both sides of GET /verifiers over HTTPS: the real issuer (in-process, its own Jetty TLS
 * connector and suites, configured from the pod env the real operator wrote for a MacpIssuer with
 * spec.mint.tls and the activation gate on) and the operator's {@link ObserverClient} with the
 * {@link ObserverTls} it builds from the TLS Secret's ca.crt and the Service's names.
 */
class ObserverOverIssuerHttpsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  @Test
  void theOperatorReadsARealTlsIssuerOnlyWhenItsCertificateNamesTheService() throws Exception {
    TestCa ca = TestCa.create("demo-ca");
    TestCa.Server cert = ca.issue("observed.demo.svc");
    String manifest = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: observed-tls
          namespace: demo
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
          ca.crt: %s
        ---
        apiVersion: macp.io/v1alpha1
        kind: MacpIssuer
        metadata:
          name: observed
          namespace: demo
        spec:
          replicas: 1
          signing:
            algorithm: ES256
          rotation:
            activationGate:
              mode: Observe
          mint:
            tls:
              secretName: observed-tls
        """.formatted(b64(pem("CERTIFICATE", cert.leaf().getEncoded())
                + pem("CERTIFICATE", ca.certificate.getEncoded())),
            b64(pem("PRIVATE KEY", cert.key().getPrivate().getEncoded())), b64(ca.pem()));
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifestYaml(manifest)
        .workingDir(Path.of(""))
        .seed(13)
        .issuers(InProcessIssuerLauncher.create(Clock.systemUTC()))
        .start()) {
      ReplicaView replica =
          cluster.kubelet().awaitServing("demo", "observed", WAIT).replicas().get(0);
      URI base = replica.baseUri();
      assertThat(base.getScheme()).isEqualTo("https");
      assertThat(base.getHost()).isEqualTo("127.0.0.1"); // an address no certificate names
      MacpIssuer issuer = cluster.client().resources(MacpIssuer.class).inNamespace("demo")
          .withName("observed").get();
      Secret keys = cluster.client().secrets().inNamespace("demo")
          .withName(IssuerNames.keySecret(issuer)).get();
      String token = PodVerifierCoverageSource.token(keys).orElseThrow();
      ObserverClient observer = new ObserverClient();

      // the TLS Secret's ca.crt and the Service's names: read, over the issuer's own TLS
      ObserverTls fromSecret = ObserverTls.of(IssuerEndpoints.certificateNames(issuer),
          Optional.of(ca.pem().getBytes(StandardCharsets.US_ASCII)), "observed-tls");
      await().atMost(WAIT).untilAsserted(() -> {
        ObserverClient.Collected c = observer.collect(List.of(base), token,
            Optional.of(fromSecret));
        assertThat(c.failures()).isEmpty();
        assertThat(c.reached()).isEqualTo(1);
      });

      // another issuer's names, or another CA: refused before the token is sent
      ObserverTls otherName = ObserverTls.of(List.of("other.demo.svc"),
          Optional.of(ca.pem().getBytes(StandardCharsets.US_ASCII)), "observed-tls");
      assertThat(observer.collect(List.of(base), token, Optional.of(otherName)).failures())
          .singleElement().satisfies(f -> assertThat(f).contains("certificate names none of"));
      ObserverTls otherCa = ObserverTls.of(IssuerEndpoints.certificateNames(issuer),
          Optional.of(TestCa.create("else").pem().getBytes(StandardCharsets.US_ASCII)),
          "observed-tls");
      assertThat(observer.collect(List.of(base), token, Optional.of(otherCa)).failures())
          .singleElement().satisfies(f -> assertThat(f).contains("not trusted by ca.crt"));
    }
  }
}
