package io.macp.operator.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's probe and scrape endpoints, on the JDK's HTTP server (no Jetty needed for three
 * tiny GETs):
 *
 * <ul>
 *   <li>{@code /healthz}: 200 while the process runs (liveness);
 *   <li>{@code /readyz}: 200 once the operator started and its informers are healthy, else 503;
 *   <li>{@code /metrics}: the Prometheus text exposition of the operator's registry.
 * </ul>
 */
public final class HealthServer implements AutoCloseable {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String JSON = "application/json";

  private final HttpServer server;
  private final ExecutorService executor;

  private HealthServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * @param address where to listen; port 0 picks a free port
   * @param ready whether the operator is ready; called per request, must be cheap and not throw
   * @param metrics the scrape text, e.g. {@code PrometheusMeterRegistry::scrape}
   */
  public static HealthServer start(
      InetSocketAddress address, BooleanSupplier ready, Supplier<String> metrics) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "health-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(exchange, ready, metrics));
    server.start();
    return new HealthServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void handle(HttpExchange exchange, BooleanSupplier ready, Supplier<String> metrics)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        send(exchange, 405, JSON, "{\"error\":\"method not allowed\"}");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/healthz" -> send(exchange, 200, JSON, "{\"ok\":true}");
        case "/readyz" -> {
          boolean isReady = safely(ready);
          send(exchange, isReady ? 200 : 503, JSON, "{\"ready\":" + isReady + "}");
        }
        case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, metrics.get());
        default -> send(exchange, 404, JSON, "{\"error\":\"not found\"}");
      }
    } catch (RuntimeException e) {
      // the exchange is closed by now; nothing more to tell the client
    }
  }

  private static boolean safely(BooleanSupplier ready) {
    try {
      return ready.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
