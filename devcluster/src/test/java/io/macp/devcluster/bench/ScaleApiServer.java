package io.macp.devcluster.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.devcluster.CrdInstaller;
import io.macp.devcluster.MockApiServer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The API side of the scale benchmark, in its own JVM so the operator's heap is measured alone:
 * the fabric8 mock server in CRUD mode with the MacpIssuer CRD installed, plus {@link
 * AvailableDeployments}. Prints {@code API <url>} once serving, then runs until its stdin closes
 * (the benchmark process ends or dies), and prints how many Deployment statuses it wrote.
 */
public final class ScaleApiServer {
  private ScaleApiServer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    try (MockApiServer server = MockApiServer.start()) {
      KubernetesClient client = server.newClient();
      CrdInstaller.install(client, Path.of("").toAbsolutePath());
      try (AvailableDeployments deployments = new AvailableDeployments(client, 2).start()) {
        System.out.println("API " + server.url());
        System.out.flush();
        while (System.in.read() >= 0) {
          // any input is ignored; end of input ends the server
        }
        System.out.println("DEPLOYMENT_STATUS_WRITES " + deployments.statusWrites());
      }
    }
  }
}
