package io.macp.issuer.http;

import java.time.Duration;

/**
 * Every bound the issuer puts on a client, in one place (docs/security.md, "Bounds on hostile
 * input", lists them). They hold with no credentials at all: they are what keeps one client from
 * taking memory, threads or log volume from the others.
 */
public final class HttpLimits {
  private HttpLimits() {}

  /** A mint body must arrive in full this soon after its headers, whatever its rate. */
  public static final Duration BODY_READ_DEADLINE = Duration.ofSeconds(10);

  /**
   * A connection that keeps sending bytes for this long without completing a request is closed:
   * a total deadline for request headers (Jetty's idle timeout restarts with every byte).
   */
  public static final Duration HEADER_READ_DEADLINE = Duration.ofSeconds(10);

  /** A connection with no traffic at all is closed after this long. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** Open connections from one source address, per port; more are closed at once. */
  public static final int MAX_CONNECTIONS_PER_ADDRESS = 64;

  /** Open connections per port; Jetty stops accepting above this until some close. */
  public static final int MAX_CONNECTIONS_MINT_PORT = 2048;

  /** Open connections on the public port (JWKS, discovery, health, metrics). */
  public static final int MAX_CONNECTIONS_PUBLIC_PORT = 1024;

  /** Request threads of the main (mint) port. */
  public static final int MINT_THREADS = 64;

  /** Request threads of the public port, its own, so a mint flood never starves probes. */
  public static final int PUBLIC_THREADS = 16;

  /** Request header bytes (request line included); more is 431 (Jetty's default is 8 KiB). */
  public static final int MAX_HEADER_BYTES = 8 * 1024;
}
