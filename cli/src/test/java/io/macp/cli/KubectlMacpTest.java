package io.macp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.macp.devcluster.EmbeddedCluster;
import io.macp.devcluster.InProcessIssuerLauncher;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code kubectl macp} command against the embedded cluster (in-process API server, the real
 * operator, real issuers), through the kubeconfig the embedded run writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlMacpTest {
  static final String FAST = """
      apiVersion: macp.io/v1alpha1
      kind: MacpIssuer
      metadata:
        name: fast
        namespace: demo
      spec:
        replicas: 1
        signing:
          algorithm: ES256
        tokens:
          defaultTtl: 10s
          maxTtl: 20s
        rotation:
          period: 60s
          verifierCacheTtl: 5s
          verifierStaleGrace: 0s
          propagationDelay: 2s
          clockSkew: 1s
          activationGate:
            mode: Observe
      """;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private EmbeddedCluster cluster;
  private String kubeconfig;
  private String token;

  @BeforeAll
  void start() throws Exception {
    // the embedded cluster's own operator reads the in-process replicas' GET /verifiers
    cluster = EmbeddedCluster.builder()
        .manifestYaml(FAST)
        .workingDir(root())
        .seed(3)
        .issuers(InProcessIssuerLauncher.create(Clock.systemUTC()))
        .start();
    kubeconfig = cluster.writeKubeconfig(dir).toString();
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      MacpIssuer i = issuer();
      assertThat(i.getStatus()).as("status of demo/fast").isNotNull();
      assertThat(i.getStatus().getConditions())
          .as("conditions of demo/fast: %s", i.getStatus().getConditions())
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    });
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Path root() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("crds")) && Files.isDirectory(d.resolve("examples"))) {
        return d;
      }
    }
    throw new IllegalStateException("no repository root");
  }

  private MacpIssuer issuer() {
    return cluster.client().resources(MacpIssuer.class).inNamespace("demo").withName("fast").get();
  }

  private CliRun macp(String command, String... args) {
    return macp(Clock.systemUTC(), "", command, args);
  }

  private CliRun macp(Clock clock, String input, String command, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = command;
    all[1] = "--kubeconfig";
    all[2] = kubeconfig;
    all[3] = "-n";
    all[4] = "demo";
    System.arraycopy(args, 0, all, 5, args.length);
    return CliRun.run(clock, input, all);
  }

  private String mint() throws Exception {
    URI base = cluster.kubelet().awaitServing("demo", "fast", WAIT).replicas().get(0).baseUri();
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(base.resolve("/tokens"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"sender\":\"agent://demo\",\"scopes\":{\"can_start_sessions\":true}}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    String body = response.body();
    int start = body.indexOf("\"token\":\"") + 9;
    return body.substring(start, body.indexOf('"', start));
  }

  @Test
  @Order(1)
  void statusShowsReadinessKeysAndConditions() {
    CliRun run = macp("status");
    MacpIssuer issuer = issuer();
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("demo/fast", "Ready=True", "active kid=" + issuer.getStatus().getActiveKid(),
        "next rotation=", "keys:", "Active", "Published", "conditions:", "the spec is valid");
    CliRun missing = macp("status", "nope");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no MacpIssuer nope in namespace demo");
  }

  @Test
  @Order(2)
  void timelineDrawsTheKeysAroundNow() {
    CliRun run = macp("timeline", "fast");
    assertThat(run.code()).as(run.toString()).isZero();
    String active = issuer().getStatus().getActiveKid();
    assertThat(run.out()).contains("demo/fast", "| now", "=", "-", "legend:", active);
  }

  @Test
  @Order(3)
  void timelineAndStatusShowTheNextKeysCoverageTheSameWay() throws Exception {
    // A runtime-like verifier fetches the JWKS, and a touched annotation makes the operator
    // reconcile, so the gate (Observe) sees it before the next scheduled decision.
    URI jwks = cluster.kubelet().awaitServing("demo", "fast", WAIT).replicas().get(0)
        .publicBaseUri().resolve("/.well-known/jwks.json");
    HttpResponse<String> fetched = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(jwks).header("User-Agent", "macp-runtime-like/cli-test").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(fetched.statusCode()).isEqualTo(200);
    cluster.client().resources(MacpIssuer.class).inNamespace("demo").withName("fast")
        .edit(i -> {
          Map<String, String> annotations = new java.util.HashMap<>();
          if (i.getMetadata().getAnnotations() != null) {
            annotations.putAll(i.getMetadata().getAnnotations());
          }
          annotations.put("test.macp.io/touched", Instant.now().toString());
          i.getMetadata().setAnnotations(annotations);
          return i;
        });
    await().atMost(WAIT).untilAsserted(() -> {
      MacpIssuer i = issuer();
      assertThat(i.getStatus().getVerifiers()).as("status.verifiers").isNotNull();
      assertThat(i.getStatus().getVerifiers().getKnown()).as("known verifiers").isNotNull()
          .isPositive();
    });
    // The same status and clock give the same lines in both commands (one rendering).
    Clock fixed = Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC);
    await().atMost(WAIT).untilAsserted(() -> {
      MacpIssuer before = issuer();
      String coverage = CoverageView.render(before.getStatus().getVerifiers(), fixed.instant());
      CliRun timeline = macp(fixed, "", "timeline", "fast");
      CliRun status = macp(fixed, "", "status", "fast");
      assertThat(issuer().getMetadata().getResourceVersion())
          .as("status unchanged while both ran").isEqualTo(before.getMetadata().getResourceVersion());
      assertThat(timeline.code()).as(timeline.toString()).isZero();
      assertThat(coverage).startsWith("  next key coverage: ")
          .contains(" known verifiers hold " + before.getStatus().getVerifiers().getNextKid());
      assertThat(timeline.out()).endsWith(coverage);
      assertThat(status.out()).contains(coverage);
      System.out.println("$ kubectl macp timeline fast\n" + timeline.out());
    });
  }

  @Test
  @Order(4)
  void explainTokenAcceptsAFreshTokenAndSaysWhyNotForOthers() throws Exception {
    token = mint();
    // after C + D the fresh key is known to every verifier
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(8));
    CliRun ok = macp(later, "", "explain-token", "fast", token);
    assertThat(ok.code()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("signature verifies", "ACCEPTS").doesNotContain(token);

    CliRun fromStdin = macp(later, token + "\n", "explain-token", "fast", "-");
    assertThat(fromStdin.out()).contains("ACCEPTS");

    CliRun expired = macp(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5)), "", "explain-token", "fast", token);
    assertThat(expired.code()).isEqualTo(1);
    assertThat(expired.out()).contains("expired", "REJECTS");

    String[] parts = token.split("\\.");
    String otherAudience = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1])).replace("macp-runtime", "someone-else").getBytes());
    CliRun tampered = macp(later, "", "explain-token", "fast", parts[0] + "." + otherAudience + "." + parts[2]);
    assertThat(tampered.out()).contains("bad signature", "aud mismatch", "REJECTS");

    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger").generate();
    SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("stranger").build(),
        new JWTClaimsSet.Builder().issuer("x").audience("macp-runtime")
            .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
    foreign.sign(new ECDSASigner(stranger));
    CliRun unknown = macp("explain-token", "fast", foreign.serialize());
    assertThat(unknown.out()).contains("unknown kid stranger", "iss mismatch", "REJECTS");

    CliRun garbage = macp("explain-token", "fast", "not-a-jwt");
    assertThat(garbage.out()).contains("not a signed JWT", "REJECTS");
  }

  @Test
  @Order(5)
  void rotateWaitsUntilTheOperatorHandledTheNonce() {
    CliRun run = macp("rotate", "fast");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("requested rotation of demo/fast", "handled:");
    assertThat(issuer().getStatus().getHandledRotateNonce()).startsWith("cli-");
    assertThat(issuer().getMetadata().getAnnotations().get("macp.io/rotate"))
        .isEqualTo(issuer().getStatus().getHandledRotateNonce());
  }

  @Test
  @Order(6)
  void revokeAsksFirstAndThenPromotesThePrePublishedKey() throws Exception {
    // wait for the rotation to complete so the token's key is the retired or active one
    // the rotation just requested may switch the active key between two reads: retry the pair
    await().atMost(WAIT).untilAsserted(() -> {
      String active = issuer().getStatus().getActiveKid();
      CliRun declined = macp(Clock.systemUTC(), "no\n", "revoke", "fast", "--", active);
      assertThat(declined.code()).isEqualTo(1);
      assertThat(declined.out()).contains("It is the ACTIVE signing key", "pre-published key",
          "Type yes", "not revoked");
    });
    assertThat(issuer().getMetadata().getAnnotations()).doesNotContainKey("macp.io/revoke");

    List<KeyStatus> keys = issuer().getStatus().getKeys();
    String tokenKid = SignedJWT.parse(token).getHeader().getKeyID();
    CliRun run = macp("revoke", "fast", "--yes", "--", tokenKid);
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("leaves the issuers' JWKS within", "revoked " + tokenKid,
        "; the operator made ", " active; issuer replicas switch within ");
    MacpIssuer after = issuer();
    assertThat(after.getStatus().getHandledRevoke()).isEqualTo(tokenKid);
    assertThat(after.getStatus().getActiveKid()).isNotEqualTo(tokenKid);
    assertThat(keys).extracting(KeyStatus::getKid).contains(tokenKid);

    await().atMost(WAIT).untilAsserted(() -> {
      CliRun revoked = macp("explain-token", "fast", token);
      assertThat(revoked.out()).contains("was revoked at", "REJECTS");
    });
    CliRun unknownKid = macp("revoke", "fast", "no-such-kid", "--yes");
    assertThat(unknownKid.code()).isEqualTo(1);
    assertThat(unknownKid.err()).contains("has no key no-such-kid");
  }

  @Test
  @Order(7)
  void simulatePlansTheTimelineOfAGoodSpecWithoutACluster() {
    CliRun run = CliRun.run("simulate", "-f", root().resolve("examples/fast-rotation.yaml").toString(),
        "--periods", "3");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("problems: none", "lead time 8s", "retention 21s",
        "key-1 published in the JWKS", "key-2 signs new tokens", "key-1 leaves the JWKS", "legend:");
  }

  @Test
  @Order(8)
  void simulateListsEveryProblemOfABadSpec() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        apiVersion: macp.io/v1alpha1
        kind: MacpIssuer
        metadata:
          name: bad
        spec:
          tokens:
            defaultTtl: 2h
            maxTtl: 1h
          rotation:
            period: 5m
        """);
    CliRun run = CliRun.run("simulate", "-f", bad.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).contains("problems (the operator would refuse",
        "spec.tokens.defaultTtl 2h is longer than spec.tokens.maxTtl 1h",
        "spec.rotation: rotation period 5m is shorter than the lead time");
  }

  @Test
  @Order(9)
  void kubeconfigContextAndNamespaceAreHonoured() {
    CliRun wrongContext = CliRun.run("status", "--kubeconfig", kubeconfig, "--context", "nope");
    assertThat(wrongContext.code()).isEqualTo(1);
    assertThat(wrongContext.err()).contains("context \"nope\" does not exist");
    CliRun rightContext = CliRun.run("status", "--kubeconfig", kubeconfig, "--context", "macp-embedded", "-n", "demo");
    assertThat(rightContext.out()).contains("demo/fast");
    CliRun otherNamespace = CliRun.run("status", "--kubeconfig", kubeconfig, "-n", "empty");
    assertThat(otherNamespace.code()).isZero();
    assertThat(otherNamespace.out()).contains("No MacpIssuers found");
    CliRun noCommand = CliRun.run();
    assertThat(noCommand.code()).isEqualTo(2);
  }
}
