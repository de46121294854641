package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.devcluster.api.Kubeconfig;
import io.macp.devcluster.api.KubectlGateway;
import io.macp.operator.resources.TokenReviewBindingBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole MACP installation in one JVM: the mock API server with the MacpIssuer CRD, the given
 * manifests, the operator, the {@link KubeletSimulator} running one issuer per replica, and the
 * owner-reference garbage collection the mock lacks ({@link OwnerGarbageCollector}). Used
 * by {@code macp-devcluster.jar} and by tests; tests can stop and restart the operator mid-run.
 *
 * <p>Start order: API, CRD, manifests, kubelet, operator, so every object the operator writes is
 * seen by the kubelet from its first version. Close order is the reverse.
 */
public final class EmbeddedCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);
  private static final Duration SIMULATOR_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final MockApiServer api;
  private final KubernetesClient client;
  private final KubeletSimulator kubelet;
  private final OperatorLauncher operatorLauncher;
  private final Path workDir;
  private final boolean ownsWorkDir;
  private final CrdInstaller.Loaded crd;
  private final OwnerGarbageCollector garbageCollector;
  private final KubectlGateway gateway;
  private Path kubeconfig;
  private AutoCloseable operator;
  private KubernetesClient operatorClient;
  private int operatorStarts;
  private boolean closed;

  private EmbeddedCluster(Builder b, MockApiServer api, Path workDir, boolean ownsWorkDir)
      throws IOException {
    this.api = api;
    this.workDir = workDir;
    this.ownsWorkDir = ownsWorkDir;
    this.operatorLauncher = b.operatorLauncher;
    this.client = api.newClient();
    this.crd = CrdInstaller.install(client, b.workingDir);
    this.gateway = KubectlGateway.start(URI.create(api.url()), client, b.clock);
    // what deploy/ installs beside the CRD: the operator only adds subjects to this binding
    client.rbac().clusterRoleBindings().resource(TokenReviewBindingBuilder.installed()).create();
    this.garbageCollector = new OwnerGarbageCollector(api.newClient(SIMULATOR_REQUEST_TIMEOUT));
    ManifestApplier applier = new ManifestApplier(client);
    applier.apply(b.manifestObjects);
    this.kubelet =
        new KubeletSimulator(
            api.newClient(SIMULATOR_REQUEST_TIMEOUT),
            b.issuerLauncher,
            new KubeletSimulator.Settings(workDir, b.clock, b.delays, b.probePeriod, b.listener));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The admin client: apply, annotate, read status. Closed with the cluster. */
  public KubernetesClient client() {
    return client;
  }

  public KubeletSimulator kubelet() {
    return kubelet;
  }

  /** The API server's URL, for a kubeconfig or kubectl {@code --server}. */
  public String apiUrl() {
    return api.url();
  }

  /**
   * kubectl's address ({@link KubectlGateway}): discovery, OpenAPI, Tables and HTTP watches in
   * front of the mock; the address a kubeconfig names.
   */
  public String kubectlUrl() {
    return gateway.url();
  }

  /**
   * Writes a kubeconfig for {@link #kubectlUrl()} (context {@value Kubeconfig#CONTEXT}, namespace
   * default) under {@code parent}; removed when the cluster closes.
   */
  public synchronized Path writeKubeconfig(Path parent) throws IOException {
    if (kubeconfig == null) {
      kubeconfig = Kubeconfig.write(parent, gateway.url(), "default");
    }
    return kubeconfig;
  }

  public CrdInstaller.Loaded crd() {
    return crd;
  }

  public Path workDir() {
    return workDir;
  }

  /** Starts a new operator instance with its own client; no-op when one runs. */
  public synchronized void startOperator() throws Exception {
    if (operator != null) {
      return;
    }
    operatorClient = api.newClient();
    try {
      operator = operatorLauncher.start(operatorClient, kubelet);
    } catch (Exception e) {
      operatorClient.close();
      operatorClient = null;
      throw e;
    }
    operatorStarts++;
    LOG.info("operator instance {} started", operatorStarts);
  }

  /** Stops the running operator instance, as when its pod goes away; issuers keep running. */
  public synchronized void stopOperator() {
    if (operator == null) {
      return;
    }
    try {
      operator.close();
    } catch (Exception e) {
      LOG.warn("operator did not stop cleanly: {}", e.toString());
    } finally {
      operatorClient.close();
      operator = null;
      operatorClient = null;
    }
    LOG.info("operator instance {} stopped", operatorStarts);
  }

  /** A new operator instance takes over: all it knows comes from the API, none from memory. */
  public synchronized void restartOperator() throws Exception {
    stopOperator();
    startOperator();
  }

  public synchronized boolean operatorRunning() {
    return operator != null;
  }

  /** How many operator instances have started, the first included. */
  public synchronized int operatorStarts() {
    return operatorStarts;
  }

  /** Applies more manifests (YAML text); a bad one throws and applies nothing. */
  public List<HasMetadata> apply(String yaml) {
    ManifestApplier applier = new ManifestApplier(client);
    return applier.apply(applier.parse(yaml, "inline manifest"));
  }

  public List<HasMetadata> apply(List<Path> files) {
    ManifestApplier applier = new ManifestApplier(client);
    return applier.apply(applier.read(files));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopOperator();
    gateway.close();
    garbageCollector.close();
    kubelet.close();
    api.close();
    if (kubeconfig != null) {
      try {
        SecretVolumeWriter.deleteRecursively(kubeconfig.getParent());
      } catch (IOException e) {
        LOG.warn("cannot remove {}: {}", kubeconfig, e.toString());
      }
    }
    if (ownsWorkDir) {
      try {
        SecretVolumeWriter.deleteRecursively(workDir);
      } catch (IOException e) {
        LOG.warn("cannot remove {}: {}", workDir, e.toString());
      }
    }
  }

  /** Everything has a default except the issuer launcher's choice of server. */
  public static final class Builder {
    private final List<ManifestApplier.ManifestObject> manifestObjects = new ArrayList<>();
    private final List<Path> manifestFiles = new ArrayList<>();
    private final List<String> manifestTexts = new ArrayList<>();
    private Path workingDir = Path.of("");
    private Path workDir;
    private Clock clock = Clock.systemUTC();
    private PropagationDelays delays;
    private long seed = 1;
    private Duration probePeriod = Duration.ofMillis(200);
    private KubeletSimulator.ReplicaListener listener;
    private OperatorLauncher operatorLauncher;
    private IssuerLauncher issuerLauncher;
    private boolean startOperator = true;

    private Builder() {}

    /** Manifests applied before the operator starts; read (and checked) before anything starts. */
    public Builder manifests(List<Path> files) {
      manifestFiles.addAll(files);
      return this;
    }

    public Builder manifestYaml(String yaml) {
      manifestTexts.add(yaml);
      return this;
    }

    /** Where {@code crds/} is looked up: the repo root, or a module directory under it. */
    public Builder workingDir(Path dir) {
      this.workingDir = dir;
      return this;
    }

    /** Where replicas' volume directories go; default a temporary directory, removed on close. */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** The clock of the operator (when defaulted) and of the kubelet's directory names. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Seeds the default per-replica propagation delays ({@link PropagationDelays#seeded}). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder propagationDelays(PropagationDelays delays) {
      this.delays = delays;
      return this;
    }

    public Builder probePeriod(Duration period) {
      this.probePeriod = period;
      return this;
    }

    public Builder replicaListener(KubeletSimulator.ReplicaListener listener) {
      this.listener = listener;
      return this;
    }

    /** Default: the real operator ({@link OperatorLauncher#macp}) on the builder's clock. */
    public Builder operator(OperatorLauncher launcher) {
      this.operatorLauncher = launcher;
      return this;
    }

    public Builder issuers(IssuerLauncher launcher) {
      this.issuerLauncher = launcher;
      return this;
    }

    /** False to start the operator later with {@link EmbeddedCluster#startOperator()}. */
    public Builder startOperator(boolean start) {
      this.startOperator = start;
      return this;
    }

    /**
     * Starts everything; on any failure stops what started and rethrows.
     *
     * @throws IllegalArgumentException for a bad manifest, before anything starts
     */
    public EmbeddedCluster start() throws Exception {
      Objects.requireNonNull(issuerLauncher, "an IssuerLauncher is required");
      if (operatorLauncher == null) {
        operatorLauncher = OperatorLauncher.macp(clock);
      }
      if (delays == null) {
        delays = PropagationDelays.seeded(seed);
      }
      MockApiServer api = MockApiServer.start();
      EmbeddedCluster cluster = null;
      boolean ownsWorkDir = workDir == null;
      Path dir = null;
      try {
        // Parse every manifest before the cluster exists: a bad file changes nothing.
        try (KubernetesClient parser = api.newClient()) {
          ManifestApplier reader = new ManifestApplier(parser);
          manifestObjects.addAll(reader.read(manifestFiles));
          for (String text : manifestTexts) {
            manifestObjects.addAll(reader.parse(text, "inline manifest"));
          }
        }
        dir = ownsWorkDir ? Files.createTempDirectory("macp-embedded-") : workDir;
        cluster = new EmbeddedCluster(this, api, dir, ownsWorkDir);
        cluster.garbageCollector.start();
        cluster.kubelet.start();
        if (startOperator) {
          cluster.startOperator();
        }
        return cluster;
      } catch (Exception | Error e) {
        if (cluster != null) {
          cluster.close();
        } else {
          api.close();
          if (ownsWorkDir && dir != null) {
            SecretVolumeWriter.deleteRecursively(dir);
          }
        }
        throw e;
      }
    }
  }
}
