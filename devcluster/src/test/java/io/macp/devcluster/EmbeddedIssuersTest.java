package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The real operator and real in-process issuers: what {@code --embedded} runs. */
class EmbeddedIssuersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void twoReplicasMintWithTheSameKidAndPublishIt() throws Exception {
    List<String> printed = new ArrayList<>();
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifestYaml(EmbeddedClusterTest.FAST_ES256)
        .workingDir(Path.of(""))
        .seed(5)
        .issuers(InProcessIssuerLauncher.create(Clock.systemUTC()))
        .replicaListener(r -> printed.add(EmbeddedRun.line(r)))
        .start()) {
      KubeletSimulator.DeploymentView view =
          cluster.kubelet().awaitServing("demo", "fast", Duration.ofSeconds(60));

      assertThat(view.baseUris()).hasSize(2).doesNotHaveDuplicates();
      Set<String> tokenKids = new HashSet<>();
      for (URI base : view.baseUris()) {
        HttpResponse<String> minted = http.send(
            HttpRequest.newBuilder(base.resolve("/tokens"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sender\":\"agent://embedded-test\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(minted.statusCode()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(JSON.readTree(minted.body()).get("token").asText());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("agent://embedded-test");
        tokenKids.add(jwt.getHeader().getKeyID());

        JsonNode jwks = JSON.readTree(http.send(
            HttpRequest.newBuilder(base.resolve("/.well-known/jwks.json")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        List<String> published = new ArrayList<>();
        jwks.get("keys").forEach(k -> {
          published.add(k.get("kid").asText());
          assertThat(k.has("d")).as("no private member").isFalse();
        });
        assertThat(published).contains(jwt.getHeader().getKeyID());
      }
      assertThat(tokenKids).as("both replicas sign with the same key").hasSize(1);
      assertThat(printed).containsExactlyInAnyOrder(
          "issuer demo/fast 0 " + view.baseUris().get(0),
          "issuer demo/fast 1 " + view.baseUris().get(1));
      assertThat(printed).allMatch(l -> l.matches("issuer demo/fast [01] http://127\\.0\\.0\\.1:\\d+"));
    }
  }
}
