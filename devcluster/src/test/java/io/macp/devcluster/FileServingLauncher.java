package io.macp.devcluster;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in replica for simulator tests (the issuer has its own tests): a real HTTP server on
 * 127.0.0.1 that is ready while its key-set file is readable and serves that file at {@code /file},
 * read on every request, so a test sees exactly what a replica would read.
 */
final class FileServingLauncher implements IssuerLauncher {
  final List<Map<String, String>> envs = new CopyOnWriteArrayList<>();

  @Override
  public Running start(Map<String, String> env) throws IOException {
    envs.add(Map.copyOf(env));
    Path file = Path.of(env.get(IssuerEnv.KEYSET_FILE));
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getByName(env.get(IssuerEnv.BIND_ADDRESS)),
            Integer.parseInt(env.get(IssuerEnv.PORT))), 0);
    server.createContext("/readyz", exchange -> {
      int code = Files.isReadable(file) ? 200 : 503;
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    });
    server.createContext("/file", exchange -> {
      byte[] body;
      try {
        body = Files.readAllBytes(file);
      } catch (IOException e) {
        body = ("unreadable: " + e).getBytes();
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new Running() {
      @Override
      public URI baseUri() {
        return uri;
      }

      @Override
      public void close() {
        server.stop(0);
      }
    };
  }
}
