package io.macp.issuer;

import ch.qos.logback.classic.LoggerContext;
import io.macp.issuer.api.IssuerEnvNames;
import io.macp.keyset.Durations;
import io.macp.keyset.NativeCrypto;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar macp-issuer.jar}: configuration from the environment (read once, here, into
 * {@link IssuerConfig}: keys, mint policy and TLS alike), then serve until SIGTERM,
 * which drains requests in flight (up to MACP_AUTH_DRAIN_TIMEOUT) before the process exits.
 * Exit code 2 for an invalid configuration, 1 when startup fails otherwise. The native crypto
 * provider is used for signing unless MACP_AUTH_NATIVE_CRYPTO=false. {@code --warm-up} serves one
 * request of each kind and exits (see {@link WarmUpRun}).
 */
public final class IssuerMain {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerMain.class);

  private IssuerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--warm-up")) {
      WarmUpRun.run();
      stopLogging();
      return;
    }
    Map<String, String> env = System.getenv();
    IssuerConfig config;
    try {
      config = IssuerConfig.fromEnv(env);
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      stopLogging();
      System.exit(2);
      return;
    }
    if (!"false".equalsIgnoreCase(env.get(IssuerEnvNames.NATIVE_CRYPTO))) {
      LOG.info("crypto provider for signing: {}", NativeCrypto.install());
    }
    IssuerServer server;
    try {
      server = IssuerServer.start(config, Clock.systemUTC());
    } catch (RuntimeException e) {
      // Messages of key and config errors are written to be shown; stacks only at DEBUG.
      LOG.error("issuer failed to start: {}", e.getMessage());
      LOG.debug("startup failure", e);
      stopLogging();
      System.exit(1);
      return;
    }
    // JVM uptime: the process start instant only has 1 s resolution on Linux.
    LOG.info("ready {} ms after JVM start", ManagementFactory.getRuntimeMXBean().getUptime());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down: draining requests in flight (up to {})",
          Durations.format(config.drainTimeout()));
      try {
        server.close();
        LOG.info("issuer stopped");
      } finally {
        stopped.countDown();
        stopLogging();
      }
    }, "issuer-shutdown"));
    // The HTTP threads are daemons (so embedded issuers never hold a JVM open): keep main alive.
    stopped.await();
  }

  /** Flushes the async audit appender before the JVM exits. */
  private static void stopLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
