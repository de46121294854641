package io.macp.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code macp-operator.jar} as shipped (run by failsafe after {@code package}): it
 * carries no test or dev-cluster infrastructure, no HTTP server stack and of the issuer only its
 * contract ({@code io.macp.issuer.api}), and started by hand
 * without {@code --cluster} it refuses before it reads any kubeconfig.
 */
class OperatorJarIT {
  /** Package prefixes (jar paths) that must never be in the production operator. */
  private static final List<String> FORBIDDEN =
      List.of(
          "io/fabric8/mockwebserver/",
          "io/fabric8/kubernetes/client/server/mock/",
          "io/vertx/",
          "io/javalin/",
          "org/eclipse/jetty/",
          "io/macp/devcluster/");

  private static Path jar() {
    Path jar = Path.of(System.getProperty("operator.jar", "target/macp-operator.jar"));
    assertThat(jar).as("the shaded operator jar (built by package)").isRegularFile();
    return jar;
  }

  @Test
  void containsNoMockServerVertxJavalinJettyOrIssuerInternals() throws IOException {
    List<String> offending = new ArrayList<>();
    int classes = 0;
    try (JarFile jar = new JarFile(jar().toFile())) {
      for (var e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        classes += name.endsWith(".class") ? 1 : 0;
        // multi-release entries carry the same packages below META-INF/versions/N/
        String path = name.replaceFirst("^META-INF/versions/\\d+/", "");
        boolean issuerInternals = path.startsWith("io/macp/issuer/") && !path.endsWith("/")
            && !path.startsWith("io/macp/issuer/api/");
        if (issuerInternals || FORBIDDEN.stream().anyMatch(path::startsWith)) {
          offending.add(name);
        }
      }
    }
    assertThat(classes).as("a real jar, not an empty one").isGreaterThan(1000);
    assertThat(offending.stream().limit(20).collect(Collectors.toList())).isEmpty();
  }

  @Test
  void withoutClusterOutsideAPodItPrintsUsageExitsNonZeroAndNeverContactsTheContext(
      @TempDir Path dir) throws Exception {
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket apiServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      apiServer.setSoTimeout(200);
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, String.join("\n",
          "apiVersion: v1",
          "kind: Config",
          "clusters:",
          "- name: c",
          "  cluster: {server: 'http://127.0.0.1:" + apiServer.getLocalPort() + "'}",
          "users:",
          "- name: u",
          "  user: {token: not-a-real-token}",
          "contexts:",
          "- name: ctx",
          "  context: {cluster: c, user: u, namespace: default}",
          "current-context: ctx",
          ""));
      Thread acceptor = new Thread(() -> {
        while (!apiServer.isClosed()) {
          try (Socket s = apiServer.accept()) {
            connections.incrementAndGet();
          } catch (SocketTimeoutException e) {
            // keep listening
          } catch (IOException e) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();

      ProcessBuilder pb = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", jar().toAbsolutePath().toString());
      pb.environment().remove("KUBERNETES_SERVICE_HOST");
      pb.environment().remove("KUBERNETES_SERVICE_PORT");
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().put("HOME", dir.toString());
      pb.redirectErrorStream(true);
      Process process = pb.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(process.exitValue()).as(output).isEqualTo(2);
      assertThat(output)
          .contains("no --cluster")
          .contains("KUBERNETES_SERVICE_HOST")
          .contains("usage: java -jar macp-operator.jar --cluster")
          .contains("macp-devcluster.jar");
      Thread.sleep(300); // a late connection would still be counted
      assertThat(connections.get()).as("connections to the kubeconfig's API server").isZero();
    }
  }
}
