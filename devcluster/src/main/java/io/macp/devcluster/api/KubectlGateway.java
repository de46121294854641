package io.macp.devcluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kubectl's address of the embedded cluster: plain HTTP on 127.0.0.1, in front of the fabric8
 * mock server, adding what kubectl needs and the mock lacks:
 *
 * <ul>
 *   <li>{@code /version}, discovery ({@link ApiDiscovery}) and OpenAPI v3 ({@link OpenApiDocuments});
 *   <li>server-side printing: {@code as=Table} requests get a Table ({@link TableConverter});
 *   <li>HTTP streaming watches ({@code ?watch=true}, one JSON event per line): the mock only
 *       watches over WebSocket, so each kubectl watch is one WebSocket watch on the mock;
 *   <li>strategic merge patches that mean the same as a merge patch ({@link StrategicMergePatches}).
 * </ul>
 *
 * What cannot be done faithfully is refused with a Status (server-side apply 415, server-side dry
 * run 400), never applied differently. Everything else is forwarded to the mock unchanged. The
 * operator and the kubelet simulator keep talking to the mock directly, which is why admission of
 * custom resources is the mock's ({@code AdmittingCrudDispatcher}), not this gateway's.
 */
public final class KubectlGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubectlGateway.class);
  private static final ObjectMapper MAPPER = Serialization.jsonMapper();
  /** Largest request body accepted; kubectl's largest is a manifest, far below. */
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
  /** Requests at once (each watch holds one until it ends). */
  static final int MAX_THREADS = 64;
  /** A watch without timeoutSeconds ends after this; kubectl starts a new one, as with a real server. */
  static final Duration MAX_WATCH = Duration.ofMinutes(30);
  /** Events buffered per watch; a kubectl that reads slower than this ends its watch. */
  static final int WATCH_BUFFER = 1024;
  private static final String END = "\u0000end";

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient http;
  private final URI mock;
  private final KubernetesClient admin;
  private final Clock clock;

  private KubectlGateway(HttpServer server, ExecutorService executor, URI mock,
      KubernetesClient admin, Clock clock) {
    this.server = server;
    this.executor = executor;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.mock = mock;
    this.admin = admin;
    this.clock = clock;
  }

  /**
   * Listens on an ephemeral port of 127.0.0.1.
   *
   * @param mock the mock server's base URL (http://localhost:port/)
   * @param admin a client of the mock, to read the installed CRDs
   */
  public static KubectlGateway start(URI mock, KubernetesClient admin, Clock clock) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(256), r -> {
          Thread t = new Thread(r, "kubectl-gateway-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    KubectlGateway gateway = new KubectlGateway(server, executor, mock, admin, clock);
    server.createContext("/", gateway::handle);
    server.start();
    return gateway;
  }

  /** {@code http://127.0.0.1:PORT}, the kubeconfig's server. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      dispatch(ex);
    } catch (IOException e) {
      LOG.debug("kubectl request {} {} ended: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
    } catch (RuntimeException e) {
      LOG.warn("kubectl request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
      send(ex, 500, StatusResponses.failure(500, "InternalError",
          "the embedded API server failed on this request: " + e));
    } finally {
      ex.close();
    }
  }

  private void dispatch(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    String rawQuery = ex.getRequestURI().getRawQuery();
    Map<String, String> query = query(rawQuery);
    byte[] body = readBody(ex);
    if (body == null) {
      send(ex, 413, StatusResponses.failure(413, "RequestEntityTooLarge",
          "request body over " + MAX_BODY_BYTES + " bytes"));
      return;
    }
    if (method.equals("GET")) {
      Optional<JsonNode> fixed = fixedDocument(path);
      if (fixed.isPresent()) {
        JsonNode doc = fixed.get();
        send(ex, "Status".equals(doc.path("kind").asText()) ? doc.path("code").asInt(500) : 200, doc);
        return;
      }
      if (path.equals("/openapi/v2")) {
        send(ex, 404, StatusResponses.failure(404, "NotFound",
            "the embedded API server serves OpenAPI v3 (/openapi/v3), not v2"));
        return;
      }
    }
    if (query.containsKey("dryRun")) {
      send(ex, 400, StatusResponses.failure(400, "BadRequest",
          "server-side dry run (--dry-run=server) is not supported by the embedded API server; "
              + "use --dry-run=client"));
      return;
    }
    Optional<ResourcePath> resourcePath = ResourcePath.parse(path);
    String accept = Optional.ofNullable(ex.getRequestHeaders().getFirst("Accept")).orElse("");
    boolean table = accept.contains("as=Table");
    if (method.equals("GET") && isWatch(query) && resourcePath.isPresent()) {
      watch(ex, path, rawQuery, resourcePath.get(), table, query);
      return;
    }
    String contentType = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
    if (method.equals("PATCH")) {
      if (contentType.startsWith("application/apply-patch")) {
        send(ex, 415, StatusResponses.failure(415, "UnsupportedMediaType",
            "server-side apply (kubectl apply --server-side) is not supported by the embedded API "
                + "server; use client-side apply (kubectl apply without --server-side)"));
        return;
      }
      if (contentType.startsWith("application/strategic-merge-patch+json")) {
        try {
          body = MAPPER.writeValueAsBytes(StrategicMergePatches.toMergePatch(MAPPER.readTree(body)));
          contentType = "application/merge-patch+json";
        } catch (StrategicMergePatches.Unsupported e) {
          send(ex, 415, StatusResponses.failure(415, "UnsupportedMediaType", e.getMessage()));
          return;
        }
      }
    }
    forward(ex, method, path, rawQuery, body, contentType, resourcePath, table, query);
  }

  /** Discovery, version and OpenAPI documents, built from the CRDs installed right now. */
  private Optional<JsonNode> fixedDocument(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/version")) {
      ObjectNode v = MAPPER.createObjectNode();
      v.put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0-macp-embedded")
          .put("platform", "linux/amd64").put("goVersion", "none (fabric8 mock server)");
      return Optional.of(v);
    }
    if (!(p.equals("/api") || p.equals("/apis") || p.startsWith("/api/") || p.startsWith("/apis/")
        || p.startsWith("/openapi/v3"))) {
      return Optional.empty();
    }
    List<String> parts = List.of(p.substring(1).split("/"));
    List<CustomResourceDefinition> crds = crds();
    ApiDiscovery discovery = ApiDiscovery.of(crds);
    if (p.equals("/api")) {
      return Optional.of(discovery.apiVersions());
    }
    if (p.equals("/apis")) {
      return Optional.of(discovery.groupList());
    }
    if (parts.get(0).equals("api") && parts.size() == 2) {
      return Optional.of(discovery.resourceList("", parts.get(1))
          .map(JsonNode.class::cast)
          .orElse(StatusResponses.failure(404, "NotFound", "no API version " + parts.get(1))));
    }
    if (parts.get(0).equals("apis") && parts.size() == 3) {
      return Optional.of(discovery.resourceList(parts.get(1), parts.get(2))
          .map(JsonNode.class::cast)
          .orElse(StatusResponses.failure(404, "NotFound",
              "no API group version " + parts.get(1) + "/" + parts.get(2))));
    }
    if (parts.get(0).equals("apis") && parts.size() == 2) {
      for (JsonNode g : discovery.groupList().get("groups")) {
        if (g.get("name").asText().equals(parts.get(1))) {
          ObjectNode group = ((ObjectNode) g).deepCopy();
          group.put("kind", "APIGroup").put("apiVersion", "v1");
          return Optional.of(group);
        }
      }
      return Optional.of(StatusResponses.failure(404, "NotFound", "no API group " + parts.get(1)));
    }
    if (p.equals("/openapi/v3")) {
      return Optional.of(new OpenApiDocuments(discovery, crds).root());
    }
    if (p.startsWith("/openapi/v3/")) {
      return Optional.of(new OpenApiDocuments(discovery, crds).document(p.substring("/openapi/v3/".length()))
          .map(JsonNode.class::cast)
          .orElse(StatusResponses.failure(404, "NotFound", "no OpenAPI document " + p)));
    }
    return Optional.empty();
  }

  private List<CustomResourceDefinition> crds() {
    return admin.apiextensions().v1().customResourceDefinitions().list().getItems();
  }

  private void forward(HttpExchange ex, String method, String path, String rawQuery, byte[] body,
      String contentType, Optional<ResourcePath> resourcePath, boolean table,
      Map<String, String> query) throws IOException {
    URI target = mock.resolve(path + (rawQuery == null ? "" : "?" + rawQuery));
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json")
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (!contentType.isEmpty()) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    int code = response.statusCode();
    byte[] answer = response.body();
    if (code == 404 && resourcePath.isPresent() && !isStatus(answer)) {
      ResourcePath rp = resourcePath.get();
      String what = rp.group().isEmpty() ? rp.plural() : rp.plural() + "." + rp.group();
      send(ex, 404, StatusResponses.failure(404, "NotFound",
          rp.name() == null ? "the server could not find the requested resource"
              : what + " \"" + rp.name() + "\" not found"));
      return;
    }
    if (code == 200 && table && resourcePath.isPresent() && rp(resourcePath).subresource() == null) {
      ResourcePath rp = resourcePath.get();
      List<CustomResourceDefinition> crds = crds();
      Optional<ApiResource> resource = ApiDiscovery.of(crds).find(rp.group(), rp.version(), rp.plural());
      if (resource.isPresent()) {
        JsonNode tableNode = new TableConverter(clock, crds)
            .table(resource.get(), MAPPER.readTree(answer), query.get("includeObject"), true);
        send(ex, 200, tableNode);
        return;
      }
    }
    ex.getResponseHeaders().set("Content-Type", "application/json");
    // e.g. unknown fields pruned under fieldValidation=Warn: kubectl prints them as "Warning: ..."
    response.headers().allValues("Warning").forEach(w -> ex.getResponseHeaders().add("Warning", w));
    ex.sendResponseHeaders(code, answer.length == 0 ? -1 : answer.length);
    if (answer.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  private static ResourcePath rp(Optional<ResourcePath> p) {
    return p.orElseThrow();
  }

  /**
   * One kubectl watch = one WebSocket watch on the mock; events are relayed one JSON object per
   * line, as Tables when kubectl asked for them. Ends on the mock's close, kubectl's
   * timeoutSeconds (at most {@link #MAX_WATCH}), a full buffer, or kubectl going away.
   */
  private void watch(HttpExchange ex, String path, String rawQuery, ResourcePath rp, boolean table,
      Map<String, String> query) throws IOException {
    Optional<ApiResource> resource = Optional.empty();
    TableConverter converter = null;
    if (table) {
      List<CustomResourceDefinition> crds = crds();
      resource = ApiDiscovery.of(crds).find(rp.group(), rp.version(), rp.plural());
      converter = new TableConverter(clock, crds);
    }
    BlockingQueue<String> events = new ArrayBlockingQueue<>(WATCH_BUFFER);
    URI ws = URI.create("ws://127.0.0.1:" + mock.getPort() + path + "?" + rawQuery);
    WebSocket socket;
    try {
      socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
          .buildAsync(ws, new Relay(events)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      send(ex, 500, StatusResponses.failure(500, "InternalError", "cannot watch: " + e.getMessage()));
      return;
    }
    long timeout = parseLong(query.get("timeoutSeconds"), MAX_WATCH.toSeconds());
    Instant end = clock.instant().plusSeconds(Math.min(timeout, MAX_WATCH.toSeconds()));
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    boolean first = true;
    try {
      while (clock.instant().isBefore(end)) {
        String event;
        try {
          event = events.poll(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        if (event == null) {
          continue;
        }
        if (event.equals(END)) {
          break;
        }
        JsonNode node = MAPPER.readTree(event);
        String type = node.path("type").asText();
        if (converter != null && resource.isPresent() && !type.equals("ERROR") && !type.equals("BOOKMARK")) {
          ((ObjectNode) node).set("object", converter.table(resource.get(), node.get("object"),
              query.get("includeObject"), first));
          first = false;
        }
        out.write(MAPPER.writeValueAsBytes(node));
        out.write('\n');
        out.flush();
      }
    } finally {
      socket.abort();
      out.close();
    }
  }

  /** Collects the mock's WebSocket watch messages (possibly in parts) into whole events. */
  private static final class Relay implements WebSocket.Listener {
    private final BlockingQueue<String> events;
    private final StringBuilder partial = new StringBuilder();

    Relay(BlockingQueue<String> events) {
      this.events = events;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        if (!events.offer(partial.toString())) {
          // kubectl reads too slowly: end the watch rather than buffer without bound
          events.clear();
          events.offer(END);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      events.offer(END);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      events.offer(END);
    }
  }

  private static boolean isWatch(Map<String, String> query) {
    String w = query.get("watch");
    return w != null && (w.equals("true") || w.equals("1"));
  }

  private static boolean isStatus(byte[] body) {
    if (body.length == 0) {
      return false;
    }
    try {
      return "Status".equals(MAPPER.readTree(body).path("kind").asText());
    } catch (IOException e) {
      return false;
    }
  }

  private static long parseLong(String s, long fallback) {
    try {
      return s == null ? fallback : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> q = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return q;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.putIfAbsent(k, v);
    }
    return q;
  }

  /** The body, or null when it is over {@link #MAX_BODY_BYTES}. */
  private static byte[] readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      return body.length > MAX_BODY_BYTES ? null : body;
    }
  }

  private static void send(HttpExchange ex, int code, JsonNode body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
