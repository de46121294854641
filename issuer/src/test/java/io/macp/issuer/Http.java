package io.macp.issuer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for tests against a running issuer on 127.0.0.1. */
public final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final URI base;

  public Http(URI base) {
    this.base = base;
  }

  public HttpResponse<String> get(String path, String... headers) {
    return send(request(path, headers).GET().build());
  }

  public HttpResponse<String> postJson(String path, String body) {
    return post(path, body, "Content-Type", "application/json");
  }

  public HttpResponse<String> post(String path, String body, String... headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public HttpResponse<String> method(String method, String path, String body, String... headers) {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body);
    return send(request(path, headers).method(method, publisher).build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b;
  }

  /**
   * Sends raw bytes to 127.0.0.1:{@code port} (output then shut) and reads the answer until the
   * server closes, goes quiet for 3 s or resets after answering; returns what arrived (ISO-8859-1).
   */
  public static String raw(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(3000);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      s.shutdownOutput();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        // whatever arrived is the answer
      } catch (IOException e) {
        // reset after the answer
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** {@link #raw(int, byte[])} of the request's ISO-8859-1 bytes. */
  public static String raw(int port, String request) throws IOException {
    return raw(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }
}
