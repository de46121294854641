package io.macp.operator.verifiers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macp.keyset.ObservedVerifier;
import io.macp.keyset.VerifierCoverage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Reads each issuer replica's {@code GET /verifiers} (mint port, observer bearer token; see
 * docs/verifiers.md) and merges them into one {@link VerifierCoverage}. Bounded: 2s to connect,
 * 3s per answer, at most {@value #MAX_BODY_BYTES} bytes per answer (about 340 bytes per client
 * with realistic names and two thumbprint kids: about 49,000 clients; docs/verifiers.md), replicas asked one after the other. A replica that cannot be
 * read is counted, never guessed: the view is then not {@link Collected#complete() complete},
 * which in Hold mode holds the activation ({@code Unobserved}, docs/rotation.md) and in Observe
 * mode is only reported.
 */
public final class ObserverClient {
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
  /** To connect, and with HTTPS to complete the handshake too. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** HTTPS clients kept, one per TLS identity (issuer); the least recently used goes first. */
  static final int MAX_TLS_CLIENTS = 16;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Map<ObserverTls, HttpClient> tlsClients =
      new LinkedHashMap<>(MAX_TLS_CLIENTS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ObserverTls, HttpClient> eldest) {
          return size() > MAX_TLS_CLIENTS;
        }
      };

  public ObserverClient() {
    this.http = builder().build();
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
  }

  /**
   * The HTTPS client of one TLS identity, reused across reconciles (a JDK 17 HttpClient holds a
   * selector thread until it is collected, so one per call would pile threads up).
   */
  private HttpClient client(ObserverTls tls) {
    synchronized (tlsClients) {
      return tlsClients.computeIfAbsent(tls, t -> builder()
          .sslContext(t.sslContext())
          .sslParameters(t.sslParameters())
          .build());
    }
  }

  /**
   * The merged view of the replicas.
   *
   * @param coverage the verifiers, merged per client (latest fetch wins)
   * @param reached replicas that answered
   * @param failures one line per replica that did not, or was not asked (no token, no
   *     credentials in it)
   */
  public record Collected(VerifierCoverage coverage, int reached, List<String> failures) {
    /** Whether every running replica was read: at least one, and no failure. */
    public boolean complete() {
      return reached > 0 && failures.isEmpty();
    }
  }

  /** How many HTTPS clients are kept (tests). */
  int tlsClients() {
    synchronized (tlsClients) {
      return tlsClients.size();
    }
  }

  /** Asks every replica at its mint-port base URI (e.g. {@code http://10.0.3.7:3200}). */
  public Collected collect(List<URI> replicas, String token) {
    return collect(replicas, token, Optional.empty());
  }

  /**
   * As {@link #collect(List, String)}; with {@code tls}, over HTTPS to {@code https://} base URIs,
   * each replica authenticated by {@code tls} before the token is sent. A replica that fails that
   * is a failure naming why (untrusted chain, a certificate that does not name the Service, no
   * TLS at all), and has never seen the token.
   */
  public Collected collect(List<URI> replicas, String token, Optional<ObserverTls> tls) {
    HttpClient client = tls.map(this::client).orElse(http);
    List<List<ObservedVerifier>> views = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (URI base : replicas) {
      try {
        views.add(fetch(client, base, token, tls.isPresent()));
      } catch (ObserverException e) {
        failures.add(base + ": " + e.getMessage());
      }
    }
    return new Collected(VerifierCoverage.merge(views), views.size(), failures);
  }

  /** One replica's table, over plain HTTP. */
  public List<ObservedVerifier> fetch(URI base, String token) throws ObserverException {
    return fetch(http, base, token, false);
  }

  private static List<ObservedVerifier> fetch(HttpClient http, URI base, String token,
      boolean tls) throws ObserverException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/verifiers"))
        .timeout(Duration.ofSeconds(3))
        .header("Authorization", "Bearer " + token)
        .GET()
        .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new ObserverException(whyNot(e, tls));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObserverException("interrupted");
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new ObserverException("answered " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new ObserverException("answer larger than " + MAX_BODY_BYTES + " bytes");
      }
      return parse(bytes);
    } catch (IOException e) {
      throw new ObserverException("unreadable answer (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Why a replica could not be asked. Our own certificate refusals are quoted (their messages
   * are ours: names and a class, never a secret); other failures give only their kind.
   */
  static String whyNot(IOException e, boolean tls) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ServiceNameTrustManager.RejectedCertificate r) {
        return "TLS: " + r.getMessage() + "; the token was not sent";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return "TLS handshake failed (" + t.getClass().getSimpleName()
            + "; does the mint port serve HTTPS?); the token was not sent";
      }
    }
    if (tls && e instanceof HttpConnectTimeoutException) {
      // the connect timeout covers the handshake: a plain-HTTP server that waits for a request
      // line never answers a ClientHello
      return "not reachable or no TLS handshake within " + CONNECT_TIMEOUT.toSeconds()
          + "s (does the mint port serve HTTPS?); the token was not sent";
    }
    return "not reachable (" + e.getClass().getSimpleName() + ")";
  }

  /** The answer's clients; a malformed entry makes the whole answer unusable. */
  static List<ObservedVerifier> parse(byte[] body) throws ObserverException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new ObserverException("answer is not JSON");
    }
    JsonNode clients = root == null ? null : root.get("clients");
    if (clients == null || !clients.isArray()) {
      throw new ObserverException("answer has no clients array");
    }
    List<ObservedVerifier> out = new ArrayList<>();
    for (JsonNode c : clients) {
      String address = c.path("address").asText("");
      String agent = c.path("userAgent").asText("");
      Set<String> kids = new HashSet<>();
      c.path("kids").forEach(k -> kids.add(k.asText()));
      Instant last;
      try {
        last = Instant.parse(c.path("lastFetch").asText());
      } catch (DateTimeParseException e) {
        throw new ObserverException("a client has no valid lastFetch");
      }
      // previousFetch: absent or null from an issuer that keeps none, or after a first fetch
      Instant previous = null;
      JsonNode p = c.path("previousFetch");
      if (!p.isMissingNode() && !p.isNull()) {
        try {
          previous = Instant.parse(p.asText());
        } catch (DateTimeParseException e) {
          throw new ObserverException("a client has an invalid previousFetch");
        }
        if (!previous.isBefore(last)) {
          throw new ObserverException("a client's previousFetch is not before its lastFetch");
        }
      }
      out.add(new ObservedVerifier(agent.isEmpty() ? address : address + " (" + agent + ")",
          last, previous, kids));
    }
    return out;
  }

  /** A replica whose table could not be read; the message names no credential. */
  public static final class ObserverException extends Exception {
    public ObserverException(String message) {
      super(message);
    }
  }
}
