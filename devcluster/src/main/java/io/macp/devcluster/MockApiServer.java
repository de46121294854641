package io.macp.devcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.macp.devcluster.admission.AdmittingCrudDispatcher;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An in-process Kubernetes API: the fabric8 mock server in CRUD mode, plain HTTP on 127.0.0.1, an
 * ephemeral port. It learns a custom resource when its CRD is created through the API (see {@link
 * CrdInstaller}); from then on it serves CRUD, the status subresource and watches for it, and
 * admits every write of it against the CRD's schema and CEL rules ({@link AdmittingCrudDispatcher}).
 */
public final class MockApiServer implements AutoCloseable {
  // Held so the level sticks: java.util.logging keeps loggers weakly.
  private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());

  private final KubernetesMockServer server;
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

  private MockApiServer(KubernetesMockServer server) {
    this.server = server;
  }

  /** Starts the server; every request is otherwise logged at INFO by the mock web server. */
  public static MockApiServer start() {
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            new AdmittingCrudDispatcher(),
            false);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("127.0.0.1 does not resolve", e);
    }
    return new MockApiServer(server);
  }

  /** http://localhost:port/ (the mock names 127.0.0.1 "localhost"). */
  public String url() {
    return server.url("/");
  }

  public int port() {
    return server.getPort();
  }

  /**
   * A new client of this server. Each user gets its own (an operator instance closes its client
   * when it stops); all are closed with the server.
   */
  public KubernetesClient newClient() {
    KubernetesClient client = server.createClient();
    clients.add(client);
    return client;
  }

  /**
   * A client that gives up on a request after the timeout, without retries: the mock answers
   * nothing at all when a request makes it throw, and the kubelet simulator must not stall on that.
   */
  public KubernetesClient newClient(Duration requestTimeout) {
    KubernetesClient client = server.createClient(b -> b.editOrNewConfig()
        .withRequestTimeout((int) requestTimeout.toMillis())
        .withRequestRetryBackoffLimit(0)
        .endConfig());
    clients.add(client);
    return client;
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    clients.clear();
    server.destroy();
  }
}
