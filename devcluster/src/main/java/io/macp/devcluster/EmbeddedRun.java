package io.macp.devcluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar macp-devcluster.jar [FILE...]}: an in-process cluster with the operator and one
 * in-process issuer per replica, running until Ctrl-C. Prints one line per serving replica:
 * {@code issuer <namespace>/<name> <replica> http://127.0.0.1:<port>}.
 */
public final class EmbeddedRun {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRun.class);
  public static final String DEFAULT_MANIFEST = "examples/quickstart.yaml";

  private EmbeddedRun() {}

  /**
   * Blocks until the JVM shuts down.
   *
   * @param manifestFiles manifests to apply; empty means {@value #DEFAULT_MANIFEST}
   * @return the process exit code: 1 when the cluster could not start
   */
  public static int run(List<String> manifestFiles) {
    List<Path> files =
        (manifestFiles == null || manifestFiles.isEmpty() ? List.of(DEFAULT_MANIFEST) : manifestFiles)
            .stream().map(Path::of).toList();
    long seed = System.nanoTime();
    EmbeddedCluster cluster;
    try {
      cluster = EmbeddedCluster.builder()
          .manifests(files)
          .seed(seed)
          .issuers(InProcessIssuerLauncher.create(Clock.systemUTC()))
          .replicaListener(printer(System.out))
          .start();
    } catch (IllegalArgumentException e) {
      LOG.error("embedded mode refused its input: {}", e.getMessage());
      return 1;
    } catch (Exception e) {
      LOG.error("embedded mode failed to start", e);
      return 1;
    }
    LOG.info("embedded API server at {}; issuers' files under {}; propagation delay seed {}; "
        + "Ctrl-C stops everything", cluster.apiUrl(), cluster.workDir(), seed);
    try {
      Path kubeconfig = cluster.writeKubeconfig(Path.of(System.getProperty("java.io.tmpdir")));
      System.out.println(kubectlLines(kubeconfig, cluster.kubectlUrl()));
      System.out.flush();
    } catch (IOException e) {
      LOG.warn("no kubeconfig written ({}); kubectl can still use --server {}", e.toString(),
          cluster.kubectlUrl());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping the embedded cluster");
      cluster.close();
      stopped.countDown();
    }, "embedded-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cluster.close();
    }
    return 0;
  }

  /**
   * What the person at the terminal copies: the export line for a new kubeconfig file (their own
   * ~/.kube/config and its current context are not touched) and a first command.
   */
  static String kubectlLines(Path kubeconfig, String server) {
    return String.join("\n",
        "kubectl: the embedded cluster answers at " + server + "; in another shell:",
        "export KUBECONFIG=" + kubeconfig.toAbsolutePath(),
        "kubectl get mi -w");
  }

  /** The stdout contract: one line per replica as it starts serving (again after a restart). */
  static KubeletSimulator.ReplicaListener printer(PrintStream out) {
    return replica -> {
      out.println(line(replica));
      out.flush();
    };
  }

  static String line(ReplicaView replica) {
    return "issuer " + replica.namespace() + "/" + replica.deployment() + " " + replica.index() + " "
        + replica.baseUri().toString().replaceAll("/$", "");
  }
}
