package io.macp.issuer.security.policy;

import static io.macp.issuer.security.policy.SharedSecretPolicyTest.assertDenied;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import io.macp.issuer.http.MintDecision;
import io.macp.issuer.security.authn.TokenReviewClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TokenReview against the fabric8 mock API server, which answers with stubbed reviews. */
class ServiceAccountPolicyTest {
  static final String AUDIENCE = "https://issuer.macp.example";
  static final String ORCH = "eyJhbGciOiJSUzI1NiJ9.orchestrator.sig";
  static final String STRANGER = "eyJhbGciOiJSUzI1NiJ9.stranger.sig";
  static final String WRONG_AUD = "eyJhbGciOiJSUzI1NiJ9.wrong-aud.sig";
  static final String ADMIN = "eyJhbGciOiJSUzI1NiJ9.admin.sig";
  static final String BROKEN = "eyJhbGciOiJSUzI1NiJ9.makes-the-api-fail.sig";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  KubernetesMockServer server;
  PolicyHarness gate;
  Path ownToken;
  final List<JsonNode> reviewBodies = new CopyOnWriteArrayList<>();
  final List<String> reviewAuth = new CopyOnWriteArrayList<>();
  final Map<String, String> answers = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    answers.put(ORCH, review(true, "system:serviceaccount:team-a:orchestrator", AUDIENCE));
    answers.put(STRANGER, review(true, "system:serviceaccount:team-b:stranger", AUDIENCE));
    answers.put(WRONG_AUD, review(true, "system:serviceaccount:team-a:orchestrator", "other"));
    answers.put(ADMIN, review(true, "kubernetes-admin", AUDIENCE));
    server = new KubernetesMockServer(false);
    server.init();
    server.expect().post().withPath(TokenReviewClient.PATH).andReply(new ResponseProvider<>() {
      private Headers headers = Headers.builder().build();

      @Override
      public Object getBody(RecordedRequest request) {
        return answer(request);
      }

      @Override
      public int getStatusCode(RecordedRequest request) {
        return bodyOf(request).contains(BROKEN) ? 500 : 201;
      }

      @Override
      public Headers getHeaders() {
        return headers;
      }

      @Override
      public void setHeaders(Headers h) {
        headers = h;
      }
    }).always();

    ownToken = tmp.resolve("own-token");
    Files.writeString(ownToken, "issuer-own-sa-token-1\n");
    Path policy = tmp.resolve("policy.json");
    Files.writeString(policy, """
        {"authentication": "ServiceAccount",
         "serviceAccount": {"apiServer": "%s", "tokenFile": "own-token", "caFile": "",
                            "audience": "%s", "cacheTtl": "30s", "timeout": "2s"},
         "clients": [{"serviceAccount": "team-a/orchestrator", "senders": ["agent://team-a/*"],
                      "maxTtl": "5m"}]}
        """.formatted(server.url("/"), AUDIENCE));
    gate = new PolicyHarness(policy);
  }

  @AfterEach
  void tearDown() {
    gate.close();
    server.destroy();
  }

  // Reading a recorded body consumes it, and the status and the body both need it.
  private final Map<RecordedRequest, String> bodies =
      java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  private String bodyOf(RecordedRequest req) {
    return bodies.computeIfAbsent(req, RecordedRequest::getUtf8Body);
  }

  private Object answer(RecordedRequest req) {
    try {
      JsonNode body = JSON.readTree(bodyOf(req));
      reviewBodies.add(body);
      reviewAuth.add(req.getHeader("Authorization"));
      String token = body.path("spec").path("token").asText();
      if (token.equals(BROKEN)) {
        return "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":500}";
      }
      return answers.getOrDefault(token, "{\"kind\":\"TokenReview\",\"status\":{}}");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String review(boolean ok, String user, String audience) {
    return """
        {"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview",
         "status":{"authenticated":%s,"user":{"username":"%s","groups":["system:serviceaccounts"]},
                   "audiences":["%s"]}}
        """.formatted(ok, user, audience);
  }

  private MintDecision mint(String token) {
    return gate.decide("Bearer " + token, "agent://team-a/x", Map.of(), 3600);
  }

  @Test
  void reviewedServiceAccountMintsAsItsBinding() {
    assertThat(mint(ORCH)).isEqualTo(MintDecision.allow("sa:team-a/orchestrator", 300));
    JsonNode sent = reviewBodies.get(0);
    assertThat(sent.path("kind").asText()).isEqualTo("TokenReview");
    assertThat(sent.path("spec").path("token").asText()).isEqualTo(ORCH);
    assertThat(sent.path("spec").path("audiences").get(0).asText()).isEqualTo(AUDIENCE);
    assertThat(reviewAuth.get(0)).isEqualTo("Bearer issuer-own-sa-token-1");
  }

  @Test
  void reviewFailuresAre401AndOtherAccountsAre403() {
    assertDenied(mint("eyJ.unknown.sig"), 401, "invalid_credentials");
    assertDenied(mint(WRONG_AUD), 401, "audience_mismatch");
    assertDenied(mint(ADMIN), 401, "not_a_service_account");
    assertDenied(mint(STRANGER), 403, "no_client_binding");
    assertDenied(gate.decide("Bearer " + ORCH, "agent://team-b/x", Map.of(), 60),
        403, "sender_not_allowed");
    assertThat(gate.metric("macp_issuer_auth_failures_total{mode=\"ServiceAccount\"}"))
        .isEqualTo(3);
  }

  @Test
  void apiErrorsFailClosed() throws Exception {
    assertDenied(mint(BROKEN), 401, "tokenreview_unavailable");
    server.destroy();
    assertDenied(mint(ORCH), 401, "tokenreview_unavailable");
    assertThat(gate.metric("macp_issuer_mint_denials_total{reason=\"tokenreview_unavailable\"}"))
        .isEqualTo(2);
  }

  @Test
  void positiveReviewsAreCachedBrieflyNegativeOnesNot() throws Exception {
    assertThat(mint(ORCH)).isInstanceOf(MintDecision.Allow.class);
    assertThat(mint(ORCH)).isInstanceOf(MintDecision.Allow.class);
    assertThat(reviewBodies).hasSize(1);
    gate.clock.advance(Duration.ofSeconds(31));
    assertThat(mint(ORCH)).isInstanceOf(MintDecision.Allow.class);
    assertThat(reviewBodies).hasSize(2);

    mint(WRONG_AUD);
    mint(WRONG_AUD);
    assertThat(reviewBodies).hasSize(4);
  }

  @Test
  void theIssuersOwnTokenIsReReadForEachReview() throws Exception {
    mint(ORCH);
    Files.writeString(ownToken, "issuer-own-sa-token-2");
    mint(STRANGER);
    assertThat(reviewAuth).containsExactly(
        "Bearer issuer-own-sa-token-1", "Bearer issuer-own-sa-token-2");
  }

  @Test
  void malformedHeadersNeverReachTheApiServer() {
    assertDenied(gate.decide(null, "agent://team-a/x", Map.of(), 60), 401, "missing_credentials");
    assertDenied(gate.decide("Bearer", "agent://team-a/x", Map.of(), 60),
        401, "malformed_credentials");
    assertDenied(gate.decide("Bearer a b", "agent://team-a/x", Map.of(), 60),
        401, "malformed_credentials");
    assertThat(reviewBodies).isEmpty();
  }
}
