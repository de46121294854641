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
import java.util.Map;
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
          "io/macp/devcluster/",
          // CEL: only the dev cluster's admission evaluates the CRD's rules
          "dev/cel/");

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
    JarRun run = runJar(dir, Map.of());
    assertThat(run.exit()).as(run.output()).isEqualTo(2);
    assertThat(run.output())
        .contains("no --cluster")
        .contains("KUBERNETES_SERVICE_HOST")
        .contains("usage: java -jar macp-operator.jar --cluster")
        .contains("macp-devcluster.jar");
    assertThat(run.connections()).as("connections to the kubeconfig's API server").isZero();
  }

  /**
   * Issue 10: a WATCH_NAMESPACES typo stops the start before the API server is contacted: it must
   * never widen the operator to every namespace.
   */
  @Test
  void aBadWatchNamespacesStopsTheStartWithoutContactingTheCluster(@TempDir Path dir)
      throws Exception {
    JarRun run = runJar(dir, Map.of("WATCH_NAMESPACES", "team-a,,team-b"), "--cluster");
    assertThat(run.exit()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("WATCH_NAMESPACES has an empty entry: 'team-a,,team-b'");
    assertThat(run.connections()).as("connections to the kubeconfig's API server").isZero();
  }

  private record JarRun(int exit, String output, int connections) {}

  /**
   * Runs the shipped jar outside a pod with a kubeconfig whose server is a socket on 127.0.0.1
   * that only counts connections.
   */
  private static JarRun runJar(Path dir, Map<String, String> env, String... args)
      throws Exception {
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

      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", jar().toAbsolutePath().toString()));
      command.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().remove("KUBERNETES_SERVICE_HOST");
      pb.environment().remove("KUBERNETES_SERVICE_PORT");
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().put("HOME", dir.toString());
      pb.environment().putAll(env);
      pb.redirectErrorStream(true);
      Process process = pb.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(300); // a late connection would still be counted
      return new JarRun(process.exitValue(), output, connections.get());
    }
  }
}
