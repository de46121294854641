package io.macp.issuer;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.macp.issuer.http.ConnectionGuard;
import io.macp.issuer.http.DiscoveryRoute;
import io.macp.issuer.http.HealthRoutes;
import io.macp.issuer.http.HttpLimits;
import io.macp.issuer.http.JsonAnswers;
import io.macp.issuer.http.JsonErrorHandler;
import io.macp.issuer.http.JwksRoute;
import io.macp.issuer.http.MetricsRoute;
import io.macp.issuer.http.MintAudit;
import io.macp.issuer.http.MintGate;
import io.macp.issuer.http.MintRequestParser;
import io.macp.issuer.http.MintRoute;
import io.macp.issuer.http.PublicPortHandler;
import io.macp.issuer.http.TransferCodingHandler;
import io.macp.issuer.keys.KeySetSource;
import io.macp.issuer.keys.KeySetSources;
import io.macp.issuer.observe.FetchRecorder;
import io.macp.issuer.observe.ObserveSettings;
import io.macp.issuer.observe.ObserverToken;
import io.macp.issuer.observe.VerifierMeters;
import io.macp.issuer.observe.VerifierObservations;
import io.macp.issuer.observe.VerifiersRoute;
import io.macp.issuer.security.InvalidPolicyException;
import io.macp.issuer.security.SecuritySettings;
import io.macp.issuer.security.policy.PolicyMintGate;
import io.macp.issuer.security.tls.ReloadingTlsContext;
import io.macp.issuer.security.tls.TlsConnectors;
import io.macp.issuer.signing.CurrentKeySet;
import io.macp.issuer.signing.TokenMinter;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running issuer: the HTTP routes over a key source, with its own meter registry. Several may
 * run in one JVM (the operator's embedded mode, end-to-end tests); nothing is shared between them.
 * The mint gate and HTTPS come from {@link IssuerConfig#security()} unless a gate factory is given.
 * The server owns the key source, the mint gate and the TLS context and closes them in
 * {@link #close}.
 */
public final class IssuerServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerServer.class);

  static final String TOKENS = "/tokens";
  static final String JWKS = "/.well-known/jwks.json";
  static final String DISCOVERY = "/.well-known/openid-configuration";
  static final String HEALTHZ = "/healthz";
  static final String READYZ = "/readyz";
  static final String METRICS = "/metrics";
  /** Mint port only: who fetched the JWKS (docs/verifiers.md). */
  static final String VERIFIERS = "/verifiers";

  private static final long SHUTDOWN_IDLE_TIMEOUT_MILLIS = 200;

  /** The methods each route answers, for the Allow header of a 405 (GET implies HEAD). */
  private static final Map<String, String> ALLOWED =
      Map.of(TOKENS, "POST", JWKS, "GET", DISCOVERY, "GET", HEALTHZ, "GET", READYZ, "GET",
          METRICS, "GET", VERIFIERS, "GET");

  /** What the public port (MACP_AUTH_PUBLIC_PORT) serves: everything but the mint. */
  static final Set<String> PUBLIC_PATHS = Set.of(JWKS, DISCOVERY, HEALTHZ, READYZ, METRICS);

  private final IssuerConfig config;
  private final Javalin app;
  private final KeySetSource source;
  private final MintGate gate;
  private final ReloadingTlsContext tls;
  private final String mintAuthentication;
  private final CurrentKeySet keys;
  private final IssuerMetrics metrics;
  private final AtomicBoolean draining;
  private final Connectors connectors;
  private final AtomicBoolean closed = new AtomicBoolean();

  private IssuerServer(IssuerConfig config, Javalin app, KeySetSource source, MintGate gate,
      ReloadingTlsContext tls, String mintAuthentication, CurrentKeySet keys,
      IssuerMetrics metrics, AtomicBoolean draining, Connectors connectors) {
    this.config = config;
    this.app = app;
    this.connectors = connectors;
    this.source = source;
    this.gate = gate;
    this.tls = tls;
    this.mintAuthentication = mintAuthentication;
    this.keys = keys;
    this.metrics = metrics;
    this.draining = draining;
  }

  /** Starts with the key source, mint gate and transport the configuration names. */
  public static IssuerServer start(IssuerConfig config, Clock clock) {
    return launch(config, clock, configuredSource(config, clock), null);
  }

  /** Starts with the key source and transport the configuration names, and the given gate. */
  public static IssuerServer start(IssuerConfig config, Clock clock, MintGate.Factory gates) {
    Objects.requireNonNull(gates, "gates");
    return launch(config, clock, configuredSource(config, clock), gates);
  }

  /**
   * Starts over a given key source (which the server then owns), with the mint gate and transport
   * the configuration names.
   */
  public static IssuerServer start(IssuerConfig config, Clock clock, KeySetSource source) {
    Objects.requireNonNull(source, "source");
    return launch(config, clock, registry -> source, null);
  }

  /** Starts over a given key source and gate factory; the server owns what they give it. */
  public static IssuerServer start(
      IssuerConfig config, Clock clock, KeySetSource source, MintGate.Factory gates) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(gates, "gates");
    return launch(config, clock, registry -> source, gates);
  }

  private static Function<MeterRegistry, KeySetSource> configuredSource(
      IssuerConfig config, Clock clock) {
    return registry -> KeySetSources.create(config.keySourceSettings(), clock, registry);
  }

  /** The gate of MACP_AUTH_MINT_POLICY_FILE, or without one the reference's allow-all. */
  private static MintGate.Factory configuredGates(SecuritySettings security, Clock clock) {
    return security.mintPolicyFile() == null
        ? MintGate.Factory.allowAll()
        : PolicyMintGate.factory(security.mintPolicyFile(), security.pollInterval(), clock);
  }

  /** The renewing TLS context of MACP_AUTH_TLS_*_FILE, or null for plain HTTP. */
  private static ReloadingTlsContext openTls(SecuritySettings security, MeterRegistry registry) {
    if (!security.tlsEnabled()) {
      return null;
    }
    try {
      return ReloadingTlsContext.open(security.tlsCertFile(), security.tlsKeyFile(),
          security.pollInterval(), registry);
    } catch (InvalidPolicyException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The token TTLs of each request: the key set's {@code tokens} when it carries them (the
   * operator writes them, so a change reaches running pods without a restart), else the env's.
   * The signer's {@code maxTokenTtl} clamps further in {@link TokenMinter}.
   */
  static Supplier<MintRequestParser.TtlLimits> ttlLimits(CurrentKeySet keys, IssuerConfig config) {
    MintRequestParser.TtlLimits fromEnv =
        new MintRequestParser.TtlLimits(config.maxTtlSeconds(), config.defaultTtlSeconds());
    return () -> keys.keySet().settings()
        .map(s -> new MintRequestParser.TtlLimits(
            s.maxTokenTtl().toSeconds(), s.defaultTokenTtl().toSeconds()))
        .orElse(fromEnv);
  }

  /** @param gates the gate factory, or null for the one the configuration names */
  private static IssuerServer launch(IssuerConfig config, Clock clock,
      Function<MeterRegistry, KeySetSource> sources, MintGate.Factory gates) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    SecuritySettings security = config.security();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KeySetSource source = null;
    MintGate gate = null;
    ReloadingTlsContext tls = null;
    Javalin app = null;
    try {
      source = sources.apply(registry);
      CurrentKeySet keys = new CurrentKeySet(initialKeySet(source));
      IssuerMetrics metrics = new IssuerMetrics(registry, keys, clock);
      MintGate.Factory factory = gates != null ? gates : configuredGates(security, clock);
      gate = Objects.requireNonNull(factory.create(registry), "mint gate");
      String mintAuthentication = describeAuthentication(gate, gates == null);
      tls = openTls(security, registry);
      ReloadingTlsContext serverTls = tls;
      AtomicBoolean draining = new AtomicBoolean();
      Connectors connectors = new Connectors();
      TokenMinter minter = new TokenMinter(keys, config.issuer(), config.audience());
      MintRoute mint = new MintRoute(
          new MintRequestParser(ttlLimits(keys, config)),
          gate, minter, clock, metrics, new MintAudit());
      ObserveSettings observe = config.observe();
      VerifierObservations observations = null;
      FetchRecorder recorder = FetchRecorder.OFF;
      if (observe.enabled()) {
        // Active = fetched within 2 cache TTLs: a client refreshing every C is never missed.
        observations = new VerifierObservations(
            observe.maxClients(), config.policy().verifierCacheTtl().multipliedBy(2));
        recorder = FetchRecorder.into(observations, observe);
        metrics.beforeScrape(new VerifierMeters(observations, keys, clock, registry)::refresh);
      }
      VerifiersRoute verifiers = new VerifiersRoute(observations,
          observe.tokenFile() == null ? null : new ObserverToken(observe.tokenFile(), clock),
          clock);
      JwksRoute jwks = new JwksRoute(
          keys, clock, metrics, config.policy().verifierCacheTtl(), recorder);
      DiscoveryRoute discovery = new DiscoveryRoute(config.issuer(), config.algorithm().name(),
          keys, clock, config.publicUrl(), connectors::publicPortOrZero);
      HealthRoutes health = new HealthRoutes(keys, clock, draining::get);
      MetricsRoute metricsRoute = new MetricsRoute(metrics);

      app = Javalin.create(cfg -> {
        configureServer(cfg, config, serverTls, connectors);
        cfg.routes.post(TOKENS, mint);
        cfg.routes.get(JWKS, jwks);
        cfg.routes.get(DISCOVERY, discovery);
        cfg.routes.get(HEALTHZ, health::healthz);
        cfg.routes.get(READYZ, health::readyz);
        cfg.routes.get(METRICS, metricsRoute);
        // HEAD answers with GET's status and headers (RFC 9110 9.3.2); Jetty sends no body.
        cfg.routes.head(JWKS, jwks);
        cfg.routes.head(DISCOVERY, discovery);
        cfg.routes.head(HEALTHZ, health::healthz);
        cfg.routes.head(READYZ, health::readyz);
        cfg.routes.head(METRICS, metricsRoute);
        cfg.routes.get(VERIFIERS, verifiers);
        cfg.routes.exception(HttpResponseException.class,
            (e, ctx) -> httpError(ctx, e.getStatus()));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
          // A bug: log it (never the body: it can hold scopes or secrets), answer generically.
          LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
          JsonAnswers.error(ctx, 500, JsonErrorHandler.message(500));
        });
        cfg.routes.error(404, ctx -> httpError(ctx, 404));
        cfg.routes.error(405, ctx -> httpError(ctx, 405));
      });
      registerConnectionMeters(registry, connectors);
      source.watch(keys);
      app.start();
      IssuerServer server = new IssuerServer(config, app, source, gate, tls, mintAuthentication,
          keys, metrics, draining, connectors);
      server.logStartup(clock);
      return server;
    } catch (RuntimeException e) {
      if (app != null) {
        stopQuietly(app);
      }
      if (tls != null) {
        tls.close();
      }
      if (gate != null) {
        gate.close();
      }
      if (source != null) {
        source.close();
      }
      registry.close();
      throw e;
    }
  }

  /** The source's first key set; its messages are written to be shown and hold no key material. */
  private static KeySet initialKeySet(KeySetSource source) {
    try {
      return source.initial();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The authentication mode for the startup line. */
  private static String describeAuthentication(MintGate gate, boolean configured) {
    if (gate instanceof PolicyMintGate policy) {
      return policy.authenticationMode().policyName();
    }
    return configured ? "None" : "custom gate";
  }

  /** What the connection bounds closed (docs/security.md, "Bounds on hostile input"). */
  private static void registerConnectionMeters(MeterRegistry registry, Connectors connectors) {
    FunctionCounter.builder("macp.issuer.connections.closed", connectors,
            Connectors::closedOverAddressLimit)
        .description("Connections closed by a bound: too many from one address, or a request"
            + " not completed within the header deadline")
        .tag("reason", "per_address_limit")
        .register(registry);
    FunctionCounter.builder("macp.issuer.connections.closed", connectors,
            Connectors::closedTooSlow)
        .description("Connections closed by a bound: too many from one address, or a request"
            + " not completed within the header deadline")
        .tag("reason", "header_deadline")
        .register(registry);
  }

  /** The public connector once Jetty made it; null with one port. */
  private static final class Connectors {
    private volatile ServerConnector publicConnector;
    private final List<ConnectionGuard> guards = new CopyOnWriteArrayList<>();

    long closedOverAddressLimit() {
      return guards.stream().mapToLong(ConnectionGuard::closedOverAddressLimit).sum();
    }

    long closedTooSlow() {
      return guards.stream().mapToLong(ConnectionGuard::closedTooSlow).sum();
    }

    int publicPortOrZero() {
      ServerConnector c = publicConnector;
      return c == null ? 0 : c.getLocalPort();
    }
  }

  private static void configureServer(JavalinConfig cfg, IssuerConfig config,
      ReloadingTlsContext tls, Connectors connectors) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.startup.startupWatcherEnabled = false;
    cfg.http.prefer405over404 = true;
    cfg.http.compressionStrategy = CompressionStrategy.NONE;
    cfg.http.generateEtags = false;
    cfg.jetty.host = config.bindAddress();
    cfg.jetty.port = config.port();
    QueuedThreadPool threads = new QueuedThreadPool(HttpLimits.MINT_THREADS, 2, 60_000);
    threads.setName("issuer-http-" + config.port());
    threads.setDaemon(true);
    cfg.jetty.threadPool = threads;
    // Always our connectors (Javalin then adds none), so every port gets the same bounds. The
    // main one comes first, so Javalin's port() is the main port. Renewal needs no Jetty reload.
    cfg.jetty.addConnector((server, http) ->
        connector(server, null, http, tls, config.bindAddress(), config.port(),
            HttpLimits.MAX_CONNECTIONS_MINT_PORT, connectors));
    if (config.splitPorts()) {
      // The same routes and the same transport; PublicPortHandler keeps the mint off this one.
      // Its own threads: slow or numerous mint requests can't starve probes and JWKS fetches.
      cfg.jetty.addConnector((server, http) -> {
        QueuedThreadPool publicThreads =
            new QueuedThreadPool(HttpLimits.PUBLIC_THREADS, 2, 60_000);
        publicThreads.setName("issuer-public-" + config.publicPort());
        publicThreads.setDaemon(true);
        ServerConnector publicConnector = connector(server, publicThreads, http, tls,
            config.bindAddress(), config.publicPort(), HttpLimits.MAX_CONNECTIONS_PUBLIC_PORT,
            connectors);
        publicConnector.setName(PublicPortHandler.CONNECTOR_NAME);
        connectors.publicConnector = publicConnector;
        return publicConnector;
      });
    }
    long drainMillis = config.drainTimeout().toMillis();
    cfg.jetty.modifyServer(server -> {
      // Stop accepting, let requests in flight finish (up to the drain timeout), then stop.
      server.setStopTimeout(Math.max(1, drainMillis));
      GracefulHandler graceful = new GracefulHandler();
      // Idle keep-alive connections are closed this soon once shutdown starts (default 1s).
      graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MILLIS);
      server.insertHandler(graceful);
      if (config.splitPorts()) {
        server.insertHandler(new PublicPortHandler(PUBLIC_PATHS));
      }
      server.insertHandler(new TransferCodingHandler());
      server.setErrorHandler(new JsonErrorHandler());
    });
    cfg.jetty.modifyServletContextHandler(
        context -> context.setErrorHandler(new JsonErrorHandler()));
    cfg.jetty.modifyHttpConfiguration(http -> {
      http.setSendServerVersion(false);
      http.setSendXPoweredBy(false);
      http.setRequestHeaderSize(HttpLimits.MAX_HEADER_BYTES);
      http.setIdleTimeout(HttpLimits.IDLE_TIMEOUT.toMillis());
    });
  }

  /**
   * HTTPS with the renewing context, else plain HTTP like Javalin's default connector; with the
   * bounds of {@link HttpLimits}: connections per port and per source address, idle timeout and
   * the header deadline.
   *
   * @param executor the connector's own request threads, or null for the server's
   */
  private static ServerConnector connector(Server server, Executor executor,
      HttpConfiguration http, ReloadingTlsContext tls, String host, int port,
      int maxConnections, Connectors connectors) {
    ServerConnector connector = tls != null
        ? TlsConnectors.https(server, executor, http, tls, host, port)
        : new ServerConnector(server, executor, null, null, -1, -1,
            new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(HttpLimits.IDLE_TIMEOUT.toMillis());
    ConnectionGuard guard = new ConnectionGuard(HttpLimits.MAX_CONNECTIONS_PER_ADDRESS,
        HttpLimits.HEADER_READ_DEADLINE, connector.getScheduler());
    connector.addEventListener(guard);
    connectors.guards.add(guard);
    server.addBean(new ConnectionLimit(maxConnections, connector));
    return connector;
  }

  private static void httpError(Context ctx, int status) {
    if (status == 405) {
      String allow = ALLOWED.get(ctx.path());
      if (allow != null) {
        ctx.header("Allow", allow);
      }
    }
    JsonAnswers.error(ctx, status, JsonErrorHandler.message(status));
  }

  private void logStartup(Clock clock) {
    List<String> kids = keys.keySet().keys().stream().map(ManagedKey::kid).toList();
    // each key carries its alg; the env's alg only names the keys this issuer makes itself
    String algs = keys.keySet().keys().stream().map(k -> k.algorithm().name()).distinct()
        .collect(java.util.stream.Collectors.joining(","));
    MintRequestParser.TtlLimits ttls = ttlLimits(keys, config).get();
    SecuritySettings security = config.security();
    LOG.info("MACP issuer listening on {}:{} ({}){}: issuer={}, audience={}, key source={}, "
            + "alg={}, keys={}, max TTL={}s, default TTL={}s, mint authentication={}{}, TLS={}",
        config.bindAddress(), port(), scheme(),
        config.splitPorts() ? ", public endpoints also on port " + publicPort() : "",
        config.issuer(), config.audience(),
        source.kind(), algs, kids, ttls.maxTtlSeconds(), ttls.defaultTtlSeconds(),
        mintAuthentication,
        security.mintPolicyFile() == null ? "" : " (policy " + security.mintPolicyFile() + ")",
        tls == null ? "off" : "on (" + security.tlsCertFile() + ")");
    if (security.mintPolicyFile() == null && "None".equals(mintAuthentication)) {
      LOG.warn("OPEN MINT: mint authentication is None (no MACP_AUTH_MINT_POLICY_FILE), so ANYONE "
          + "who can reach port {} can mint a token for ANY sender with ANY scopes. Set a mint "
          + "policy (SharedSecret or ServiceAccount) and restrict who reaches the port: see "
          + "docs/security.md.", port());
    }
    if ("ephemeral".equals(source.kind())) {
      LOG.warn("EPHEMERAL SIGNING KEY: no MACP_AUTH_SIGNING_KEY_JSON or MACP_AUTH_KEYSET_FILE is "
          + "set, so a key was made in memory. Tokens stop verifying when this process restarts "
          + "and replicas can't share it. Never run this in production.");
    }
    if (keys.viewAt(clock.instant()).signer() == null) {
      LOG.warn("no key may sign yet: /readyz answers 503 and POST /tokens 503 until one activates");
    }
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  public int port() {
    return app.port();
  }

  /**
   * The port bound for the public endpoints (MACP_AUTH_PUBLIC_PORT): JWKS, discovery, health and
   * metrics, never the mint. Equal to {@link #port()} when the issuer has one port.
   */
  public int publicPort() {
    return config.splitPorts() ? connectors.publicPortOrZero() : port();
  }

  /** {@code http(s)://<host>:<port>}, with 127.0.0.1 for a wildcard bind address. */
  public URI baseUri() {
    return uri(port());
  }

  /** Like {@link #baseUri()} for {@link #publicPort()}; equal to it with one port. */
  public URI publicBaseUri() {
    return uri(publicPort());
  }

  /** Whether the public endpoints have a port of their own (MACP_AUTH_PUBLIC_PORT). */
  public boolean splitPorts() {
    return config.splitPorts();
  }

  private URI uri(int boundPort) {
    String host = config.bindAddress();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create(scheme() + "://" + host + ":" + boundPort);
  }

  /** Whether the issuer serves HTTPS (and only HTTPS). */
  public boolean tlsEnabled() {
    return tls != null;
  }

  private String scheme() {
    return tls == null ? "http" : "https";
  }

  public IssuerConfig config() {
    return config;
  }

  /** This instance's meters (Prometheus). */
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /** The key set in force (the last good one). */
  public CurrentKeySet keys() {
    return keys;
  }

  /** The key source's kind: env, ephemeral, file or self-managed. */
  public String keySourceKind() {
    return source.kind();
  }

  /**
   * Stops accepting connections, lets requests in flight finish (up to the drain timeout), then
   * stops the TLS renewal, the key source and the gate. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    draining.set(true);
    try {
      stopQuietly(app);
    } finally {
      try {
        if (tls != null) {
          tls.close();
        }
        source.close();
      } finally {
        try {
          gate.close();
        } finally {
          metrics.close();
        }
      }
    }
  }

  private static void stopQuietly(Javalin app) {
    try {
      app.stop();
    } catch (RuntimeException e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.getMessage());
    }
  }
}
