package io.macp.issuer.security.authn;

import static io.macp.issuer.security.policy.SharedSecretPolicyTest.assertDenied;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.macp.issuer.http.MintDecision;
import io.macp.issuer.security.policy.PolicyHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cap on TokenReviews in flight, against a local API server stub that holds every review until
 * the test lets it answer.
 */
class TokenReviewCapTest {
  static final int CAP = 2;
  static final String AUDIENCE = "https://issuer.macp.example";

  @TempDir Path tmp;
  HttpServer stub;
  ExecutorService stubThreads;
  ExecutorService callers;
  PolicyHarness gate;
  final CountDownLatch answer = new CountDownLatch(1);
  final CountDownLatch capReached = new CountDownLatch(CAP);
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  final AtomicInteger received = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // More stub threads than the cap, so the stub itself never limits concurrency.
    stubThreads = Executors.newFixedThreadPool(CAP * 4);
    stub.setExecutor(stubThreads);
    stub.createContext(TokenReviewClient.PATH, exchange -> {
      received.incrementAndGet();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      capReached.countDown();
      try {
        exchange.getRequestBody().readAllBytes();
        answer.await(20, TimeUnit.SECONDS);
        byte[] body = "{\"kind\":\"TokenReview\",\"status\":{\"authenticated\":false}}"
            .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(201, body.length);
        exchange.getResponseBody().write(body);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
        exchange.close();
      }
    });
    stub.start();
    Files.writeString(tmp.resolve("own-token"), "issuer-own-sa-token\n");
    Path policy = tmp.resolve("policy.json");
    Files.writeString(policy, """
        {"authentication": "ServiceAccount",
         "serviceAccount": {"apiServer": "http://127.0.0.1:%d", "tokenFile": "own-token",
                            "caFile": "", "audience": "%s", "timeout": "30s",
                            "maxConcurrentReviews": %d},
         "clients": [{"serviceAccount": "team-a/orchestrator", "senders": ["agent://team-a/*"]}]}
        """.formatted(stub.getAddress().getPort(), AUDIENCE, CAP));
    gate = new PolicyHarness(policy);
    callers = Executors.newFixedThreadPool(CAP);
  }

  @AfterEach
  void tearDown() {
    answer.countDown();
    callers.shutdownNow();
    gate.close();
    stub.stop(0);
    stubThreads.shutdownNow();
  }

  private MintDecision mint(String token) {
    return gate.decide("Bearer " + token, "agent://team-a/x", Map.of(), 60);
  }

  @Test
  void callersBeyondTheCapAreRefusedWithoutAReview() throws Exception {
    List<Future<MintDecision>> held = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      String token = "eyJhbGciOiJSUzI1NiJ9.held-" + i + ".sig";
      held.add(callers.submit(() -> mint(token)));
    }
    assertThat(capReached.await(10, TimeUnit.SECONDS)).as("the stub sees the first reviews")
        .isTrue();

    // The held reviews are still unanswered, so these return only because the cap refuses them.
    for (int i = 0; i < 5; i++) {
      assertDenied(mint("eyJhbGciOiJSUzI1NiJ9.flood-" + i + ".sig"), 401, "tokenreview_busy");
    }
    assertThat(held).allSatisfy(f -> assertThat(f).isNotDone());

    answer.countDown();
    for (Future<MintDecision> f : held) {
      assertDenied(f.get(10, TimeUnit.SECONDS), 401, "invalid_credentials");
    }
    assertThat(received.get()).isEqualTo(CAP);
    assertThat(maxInFlight.get()).isEqualTo(CAP);
    assertThat(gate.metric("macp_issuer_mint_denials_total{reason=\"tokenreview_busy\"}"))
        .isEqualTo(5);

    // Slots are given back: a later caller is reviewed again.
    assertDenied(mint("eyJhbGciOiJSUzI1NiJ9.later.sig"), 401, "invalid_credentials");
    assertThat(received.get()).isEqualTo(CAP + 1);
  }
}
