package io.macp.devcluster.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The load both end-to-end runs share: clients that mint from every replica in turn at a bounded
 * rate, and runtime-like verifiers (spread over the replicas, cache ages staggered) that verify
 * every token twice, right after the mint and again at a random moment before its exp. Every
 * verdict is logged; judging them is {@link VerificationTally}'s job.
 */
final class TokenTraffic implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param clients concurrent minting clients; each mints, verifies, then waits {@code mintPause}
   * @param cacheTtl every verifier caches the JWKS for exactly this long
   * @param maxTtl the issuer's tokens.maxTtl: clients ask for no TTL, exactly it, and more than it
   */
  record Settings(
      int verifiers,
      int clients,
      Duration mintPause,
      Duration cacheTtl,
      Duration maxTtl,
      String issuer,
      String audience) {}

  private final List<Supplier<URI>> replicas;
  private final Settings settings;
  private final Clock clock;
  private final HttpClient http;
  private final List<RuntimeLikeVerifier> verifiers = new ArrayList<>();
  private final ScheduledExecutorService minters;
  private final ScheduledExecutorService later;
  private final AtomicInteger nextReplica = new AtomicInteger();
  private final AtomicLong nextTokenId = new AtomicLong();
  private final ConcurrentLinkedQueue<MintedToken> tokens = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Verification> verifications = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> mintErrors = new ConcurrentLinkedQueue<>();
  private final Map<String, Set<Integer>> replicasByKid = new ConcurrentHashMap<>();

  TokenTraffic(List<Supplier<URI>> replicas, Settings settings, Clock clock) {
    this.replicas = List.copyOf(replicas);
    this.settings = settings;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (int i = 0; i < settings.verifiers(); i++) {
      // Spread over the replicas: verifier i always fetches from replica i mod n.
      Supplier<URI> source = this.replicas.get(i % this.replicas.size());
      verifiers.add(new RuntimeLikeVerifier("verifier-" + i, source, settings.cacheTtl(),
          settings.issuer(), settings.audience(), clock, http));
    }
    this.minters = Executors.newScheduledThreadPool(settings.clients(), daemon("e2e-mint"));
    this.later = Executors.newScheduledThreadPool(2, daemon("e2e-verify-later"));
  }

  /**
   * Adds a verifier with its own cache TTL (e.g. longer than the declared one), fetching from
   * replica {@code replica}; call before priming.
   */
  void addVerifier(String name, int replica, Duration cacheTtl) {
    verifiers.add(new RuntimeLikeVerifier(name, replicas.get(replica % replicas.size()), cacheTtl,
        settings.issuer(), settings.audience(), clock, http));
  }

  List<RuntimeLikeVerifier> verifiers() {
    return verifiers;
  }

  /**
   * Fills verifier i's cache at i * C / n, so their caches expire at evenly spread moments: at any
   * instant some verifier has just refreshed and another is about to.
   */
  void primeStaggered() throws Exception {
    long stepMillis = settings.cacheTtl().toMillis() / verifiers.size();
    for (int i = 0; i < verifiers.size(); i++) {
      if (i > 0) {
        Thread.sleep(stepMillis);
      }
      verifiers.get(i).prime();
    }
  }

  void startMinting() {
    for (int c = 0; c < settings.clients(); c++) {
      int client = c;
      minters.scheduleWithFixedDelay(() -> mintAndVerify(client), c * 17L,
          settings.mintPause().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Stops minting, then waits for every scheduled later verification (each is due before its
   * token's exp, so at most maxTtl away).
   */
  void stopAndDrain() throws InterruptedException {
    minters.shutdown();
    if (!minters.awaitTermination(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("minting clients did not stop within 30s");
    }
    later.shutdown(); // delayed tasks still run after shutdown
    Duration bound = settings.maxTtl().plusSeconds(30);
    if (!later.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("later verifications did not finish within " + bound);
    }
  }

  List<MintedToken> tokens() {
    return List.copyOf(tokens);
  }

  List<Verification> verifications() {
    return List.copyOf(verifications);
  }

  List<String> mintErrors() {
    return List.copyOf(mintErrors);
  }

  /** The replicas that have minted a token signed by kid so far. */
  Set<Integer> replicasSigningWith(String kid) {
    return Set.copyOf(replicasByKid.getOrDefault(kid, Set.of()));
  }

  /** The latest tokens signed by kid, one per replica when there are several. */
  List<MintedToken> latestSignedBy(String kid, int perReplica) {
    Map<Integer, List<MintedToken>> byReplica = new LinkedHashMap<>();
    for (MintedToken t : tokens) {
      if (t.kid().equals(kid)) {
        byReplica.computeIfAbsent(t.replica(), r -> new ArrayList<>()).add(t);
      }
    }
    List<MintedToken> out = new ArrayList<>();
    byReplica.values().forEach(list -> out.addAll(list.subList(Math.max(0, list.size() - perReplica), list.size())));
    return out;
  }

  /** Every verifier verifies the token now; logged as a probe. */
  List<Verification> probe(MintedToken token) {
    List<Verification> out = new ArrayList<>();
    for (RuntimeLikeVerifier v : verifiers) {
      out.add(verify(v, token, Verification.When.PROBE));
    }
    return out;
  }

  private void mintAndVerify(int client) {
    MintedToken token;
    try {
      token = mint(client);
    } catch (Exception e) {
      mintErrors.add(e.toString());
      return;
    }
    tokens.add(token);
    replicasByKid.computeIfAbsent(token.kid(), k -> ConcurrentHashMap.newKeySet()).add(token.replica());
    for (RuntimeLikeVerifier v : verifiers) {
      verify(v, token, Verification.When.IMMEDIATE);
    }
    long untilExp = Duration.between(clock.instant(), token.exp()).toMillis();
    for (RuntimeLikeVerifier v : verifiers) {
      long at = untilExp <= 1 ? 0 : ThreadLocalRandom.current().nextLong(untilExp);
      later.schedule(() -> verify(v, token, Verification.When.LATER), at, TimeUnit.MILLISECONDS);
    }
  }

  private MintedToken mint(int client) throws Exception {
    int replica = Math.floorMod(nextReplica.getAndIncrement(), replicas.size());
    ObjectNode body = JSON.createObjectNode().put("sender", "agent://e2e-client-" + client);
    long maxTtl = settings.maxTtl().toSeconds();
    switch (ThreadLocalRandom.current().nextInt(3)) {
      case 0 -> { } // the issuer's default TTL
      case 1 -> body.put("ttl_seconds", maxTtl);
      default -> body.put("ttl_seconds", maxTtl + 10); // clamped to maxTtl
    }
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(replicas.get(replica).get().resolve("/tokens"))
            .timeout(Duration.ofSeconds(5))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("replica " + replica + " answered " + r.statusCode() + " " + r.body());
    }
    JsonNode answer = JSON.readTree(r.body());
    String compact = answer.path("token").asText();
    SignedJWT jwt = SignedJWT.parse(compact);
    Instant exp = Objects.requireNonNull(jwt.getJWTClaimsSet().getExpirationTime(), "exp").toInstant();
    if (exp.isAfter(clock.instant().plus(settings.maxTtl()).plusSeconds(2))) {
      throw new IllegalStateException("replica " + replica + " minted a token living longer than maxTtl");
    }
    return new MintedToken(nextTokenId.getAndIncrement(), compact, jwt.getHeader().getKeyID(),
        replica, clock.instant(), exp);
  }

  private Verification verify(RuntimeLikeVerifier v, MintedToken token, Verification.When when) {
    Instant started = clock.instant();
    String failure;
    try {
      failure = v.verify(token.compact());
    } catch (Exception e) {
      failure = "verifier error: " + e;
    }
    Verification result = new Verification(token.id(), token.kid(), v.name(), started, when, failure);
    verifications.add(result);
    return result;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    minters.shutdownNow();
    later.shutdownNow();
  }
}
