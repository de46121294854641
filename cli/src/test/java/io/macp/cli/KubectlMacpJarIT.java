package io.macp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.devcluster.EmbeddedCluster;
import io.macp.devcluster.InProcessIssuerLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as shipped: cli/bin/kubectl-macp (the script kubectl runs) with the shaded jar, in its
 * own JVM, against the embedded cluster; and what the jar must not carry.
 */
class KubectlMacpJarIT {
  @TempDir Path dir;

  private static Path jar() {
    Path jar = Path.of(System.getProperty("kubectl.macp.jar", "target/kubectl-macp.jar"));
    assertThat(jar).as("the shaded plugin jar (built by package)").isRegularFile();
    return jar;
  }

  @Test
  void theJarCarriesNoOperatorRuntimeNorServer() throws Exception {
    try (JarFile jar = new JarFile(jar().toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      assertThat(names).contains("io/macp/cli/MacpCli.class",
          "io/macp/operator/model/v1alpha1/MacpIssuer.class",
          "io/macp/keyset/KeySetPlanner.class");
      assertThat(names).noneMatch(n -> n.startsWith("io/javaoperatorsdk/") || n.startsWith("io/javalin/")
          || n.startsWith("org/eclipse/jetty/") || n.startsWith("io/macp/devcluster/")
          || n.startsWith("io/vertx/"));
    }
  }

  @Test
  void theScriptRunsStatusAndSimulateFromTheShadedJar() throws Exception {
    Path script = Path.of("bin", "kubectl-macp").toAbsolutePath();
    assertThat(Files.isExecutable(script)).as(script + " is executable").isTrue();
    Path root = script.getParent().getParent().getParent();
    try (EmbeddedCluster cluster = EmbeddedCluster.builder()
        .manifests(List.of(root.resolve("examples/quickstart.yaml")))
        .workingDir(root)
        .issuers(InProcessIssuerLauncher.create(Clock.systemUTC()))
        .start()) {
      Path kubeconfig = cluster.writeKubeconfig(dir);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).until(() -> {
        var issuer = cluster.client().resources(io.macp.operator.model.v1alpha1.MacpIssuer.class)
            .inNamespace("default").withName("quickstart").get();
        return issuer != null && issuer.getStatus() != null && !issuer.getStatus().getKeys().isEmpty();
      });
      // one issuer (GET) and all of them (LIST): the client takes different paths
      assertThat(run(script, "status", "--kubeconfig", kubeconfig.toString(), "quickstart"))
          .contains("default/quickstart");
      assertThat(run(script, "status", "--kubeconfig", kubeconfig.toString()))
          .contains("default/quickstart");
      assertThat(run(script, "timeline", "--kubeconfig", kubeconfig.toString(), "quickstart"))
          .contains("legend:");
      String simulate = run(script, "simulate", "-f", root.resolve("examples/fast-rotation.yaml").toString());
      assertThat(simulate).contains("problems: none", "key-2 signs new tokens");
    }
  }

  private String run(Path script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("KUBECTL_MACP_JAR", jar().toAbsolutePath().toString());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }
}
