package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.macp.devcluster.SecretVolumeWriter.FilePayload;
import io.macp.operator.resources.IssuerNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet (and the Deployment controller) for the issuers' Deployments in an embedded
 * cluster: for each replica it materializes the mounted Secret and ConfigMap volumes like the
 * kubelet (see {@link SecretVolumeWriter}), applies each change to each replica after its own delay up
 * to the declared propagation delay, runs one issuer per replica through an {@link
 * IssuerLauncher}, probes {@code /readyz}, replaces replicas when the pod template changes
 * (counted as restarts), and writes the Deployment status the operator reads.
 *
 * <p>All state lives on one thread: informer events, timers and probe results are queued to it, so
 * there are no locks; readers see immutable snapshots.
 */
public final class KubeletSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletSimulator.class);
  private static final Duration RETRY_START_AFTER = Duration.ofSeconds(2);
  private static final int MAX_RECORDED_UPDATES = 10_000;

  /** Told when a replica (a new pod included) first answers {@code /readyz}. */
  @FunctionalInterface
  public interface ReplicaListener {
    void serving(ReplicaView replica);
  }

  /**
   * @param workDir where the per-replica volume directories live
   * @param clock names the timestamped directories and stamps {@link VolumeUpdate}s
   * @param probePeriod how often {@code /readyz} is probed
   */
  public record Settings(
      Path workDir,
      Clock clock,
      PropagationDelays delays,
      Duration probePeriod,
      ReplicaListener listener) {
    public Settings {
      Objects.requireNonNull(workDir, "workDir");
      clock = clock == null ? Clock.systemUTC() : clock;
      delays = delays == null ? PropagationDelays.seeded(0) : delays;
      probePeriod = probePeriod == null ? Duration.ofMillis(200) : probePeriod;
      listener = listener == null ? replica -> {} : listener;
    }
  }

  /**
   * An issuer Deployment as simulated at one moment.
   *
   * @param observedGeneration the Deployment generation the simulation follows
   * @param declaredPropagationDelay env MACP_AUTH_PROPAGATION_DELAY, else the MacpIssuer's
   *     spec.rotation.propagationDelay, else the model's default
   * @param maxKubeletDelay the bound for one replica's file update: the declared delay minus the
   *     issuer's file poll interval when the env sets one, so file-to-signer stays within it
   * @param restarts replicas replaced because the pod template changed
   * @param templateHistory every pod template hash seen, oldest first
   * @param serving every desired replica runs the current template and answers {@code /readyz}
   */
  public record DeploymentView(
      String namespace,
      String name,
      long observedGeneration,
      int desiredReplicas,
      String templateHash,
      Duration declaredPropagationDelay,
      Duration maxKubeletDelay,
      int restarts,
      List<String> templateHistory,
      List<ReplicaView> replicas,
      boolean serving) {
    public List<URI> baseUris() {
      return replicas.stream().map(ReplicaView::baseUri).toList();
    }
  }

  private final KubernetesClient client;
  private final IssuerLauncher launcher;
  private final Settings settings;
  private final ScheduledExecutorService loop;
  private final HttpClient http;
  private final DeclaredPropagation propagation;
  private final ApiRefResolver refs;
  private final SimulatedDeploymentStatus statusWriter;
  private final Map<String, SimulatedDeployment> deployments = new LinkedHashMap<>();
  private final VolumeSources sources;
  private final List<VolumeUpdate> updates = new ArrayList<>();
  private final Object published = new Object();
  private volatile Map<String, DeploymentView> snapshot = Map.of();
  private SharedIndexInformer<Deployment> deploymentInformer;
  private ScheduledFuture<?> probes;
  private long podSequence;
  private volatile boolean closed;
  private boolean closeStarted; // guarded by this
  /** Deployments (key@generation) refused for too many replicas, so each is logged once. */
  private final java.util.Set<String> refused = new java.util.HashSet<>();

  /** The most replicas of one Deployment the simulator runs: a MacpIssuer's own bound. */
  static final int MAX_REPLICAS = io.macp.operator.model.v1alpha1.MacpIssuerSpec.MAX_REPLICAS;

  public KubeletSimulator(KubernetesClient client, IssuerLauncher launcher, Settings settings) {
    this.client = client;
    this.launcher = launcher;
    this.settings = settings;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kubelet-simulator");
              t.setDaemon(true);
              return t;
            });
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    this.propagation = new DeclaredPropagation(client);
    this.refs = new ApiRefResolver(client);
    this.sources = new VolumeSources(client, (kind, object) -> submit(() -> onSource(kind, object)));
    this.statusWriter = new SimulatedDeploymentStatus(client, settings.clock());
  }

  /** Starts watching the issuers' Deployments (label {@link IssuerNames#MANAGED_SELECTOR}). */
  public synchronized KubeletSimulator start() {
    if (deploymentInformer != null) {
      return this;
    }
    deploymentInformer =
        client.apps().deployments().inAnyNamespace()
            .withLabelSelector(IssuerNames.MANAGED_SELECTOR)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment d) {
                    submit(() -> onDeployment(d));
                  }

                  @Override
                  public void onUpdate(Deployment old, Deployment d) {
                    submit(() -> onDeployment(d));
                  }

                  @Override
                  public void onDelete(Deployment d, boolean unknownFinalState) {
                    submit(() -> onDeploymentDeleted(key(d.getMetadata().getNamespace(), d.getMetadata().getName())));
                  }
                },
                0);
    long period = settings.probePeriod().toMillis();
    probes = loop.scheduleWithFixedDelay(() -> guarded(this::probeAll), period, period, TimeUnit.MILLISECONDS);
    return this;
  }

  // ---- what tests and the embedded run read ----

  /** Every simulated issuer Deployment, by "namespace/name". */
  public Map<String, DeploymentView> deployments() {
    return snapshot;
  }

  public Optional<DeploymentView> deployment(String namespace, String name) {
    return Optional.ofNullable(snapshot.get(key(namespace, name)));
  }

  /** The replicas of one issuer, by index; empty when the Deployment is unknown. */
  public List<ReplicaView> replicas(String namespace, String name) {
    return deployment(namespace, name).map(DeploymentView::replicas).orElse(List.of());
  }

  /** Replicas replaced because the pod template changed; key rotation must leave this at 0. */
  public int restarts(String namespace, String name) {
    return deployment(namespace, name).map(DeploymentView::restarts).orElse(0);
  }

  /** Every Secret or ConfigMap update delivered (or due) to a replica so far, oldest first. */
  public List<VolumeUpdate> volumeUpdates() {
    synchronized (updates) {
      return List.copyOf(updates);
    }
  }

  /**
   * Waits until the Deployment exists and all its desired replicas serve the current template, at
   * least at the generation the API server holds now (so a change just written is waited for).
   *
   * @throws TimeoutException with what is still missing
   */
  public DeploymentView awaitServing(String namespace, String name, Duration timeout)
      throws InterruptedException, TimeoutException {
    String key = key(namespace, name);
    long generation =
        Optional.ofNullable(client.apps().deployments().inNamespace(namespace).withName(name).get())
            .map(d -> d.getMetadata().getGeneration())
            .orElse(0L);
    return await(timeout,
        () -> Optional.ofNullable(snapshot.get(key))
            .filter(v -> v.serving() && v.observedGeneration() >= generation),
        () -> "issuer Deployment " + key + " is not serving generation " + generation + ": "
            + snapshot.get(key));
  }

  /** Waits until at least one issuer Deployment exists and every one serves. */
  public Map<String, DeploymentView> awaitAllServing(Duration timeout)
      throws InterruptedException, TimeoutException {
    return await(timeout,
        () -> Optional.of(snapshot)
            .filter(s -> !s.isEmpty() && s.values().stream().allMatch(DeploymentView::serving)),
        () -> "issuer Deployments not all serving: " + snapshot.values());
  }

  private <T> T await(Duration timeout, Supplier<Optional<T>> ready,
      Supplier<String> what) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (published) {
      while (true) {
        Optional<T> result = ready.get();
        if (result.isPresent()) {
          return result.get();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          throw new TimeoutException(what.get());
        }
        TimeUnit.NANOSECONDS.timedWait(published, left);
      }
    }
  }

  // ---- the simulation, on the loop thread only ----

  private void submit(Runnable task) {
    if (!closed) {
      loop.execute(() -> guarded(task));
    }
  }

  private void guarded(Runnable task) {
    if (closed) {
      return;
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("kubelet simulator step failed: {}", e.toString(), e);
    }
  }

  private void onDeployment(Deployment d) {
    String ns = d.getMetadata().getNamespace();
    String name = d.getMetadata().getName();
    IssuerPodSpec spec;
    try {
      spec = IssuerPodSpec.of(d);
    } catch (IllegalArgumentException e) {
      LOG.warn("not simulating Deployment {}/{}: {}", ns, name, e.getMessage());
      return;
    }
    if (spec.replicas() > MAX_REPLICAS) {
      // Each replica is an in-process issuer (threads, sockets, files): a runaway count would
      // take the whole machine down, so refuse it rather than approximate it.
      if (refused.add(key(ns, name) + "@" + spec.generation())) {
        LOG.warn("not simulating Deployment {}/{}: it asks for {} replicas, more than the {} the"
            + " embedded cluster runs (a MacpIssuer's spec.replicas is at most {}); its replicas"
            + " are stopped", ns, name, spec.replicas(), MAX_REPLICAS, MAX_REPLICAS);
      }
      onDeploymentDeleted(key(ns, name));
      return;
    }
    SimulatedDeployment state = deployments.computeIfAbsent(key(ns, name), k -> new SimulatedDeployment(ns, name));
    state.latest = d;
    state.spec = spec;
    if (state.templateHistory.isEmpty()
        || !state.templateHistory.get(state.templateHistory.size() - 1).equals(spec.templateHash())) {
      state.templateHistory.add(spec.templateHash());
    }
    state.declaredDelay = propagation.declared(state.spec, state.latest);
    reconcile(state);
  }

  private void reconcile(SimulatedDeployment state) {
    IssuerPodSpec spec = state.spec;
    while (state.slots.size() > spec.replicas()) {
      SimulatedDeployment.Slot gone = state.slots.remove(state.slots.size() - 1);
      stop(gone.current);
      stop(gone.next);
    }
    while (state.slots.size() < spec.replicas()) {
      SimulatedDeployment.Slot slot = new SimulatedDeployment.Slot(state.slots.size());
      slot.current = newPod(state, slot.index);
      state.slots.add(slot);
    }
    for (SimulatedDeployment.Slot slot : state.slots) {
      // Rolling update with maxUnavailable 0: the old pod serves until its replacement is ready.
      if (slot.next != null && !slot.next.spec.templateHash().equals(spec.templateHash())) {
        stop(slot.next);
        slot.next = null;
      }
      if (!slot.current.spec.templateHash().equals(spec.templateHash()) && slot.next == null) {
        if (slot.current.running == null) {
          stop(slot.current); // never started: nothing serves, replace it at once
          slot.current = newPod(state, slot.index);
        } else {
          slot.next = newPod(state, slot.index);
        }
      }
    }
    syncSourceInformers();
    for (SimulatedDeployment.Slot slot : state.slots) {
      if (closed) {
        return; // close() stops what was started; starting more would only delay it
      }
      tryStart(state, slot.current);
      tryStart(state, slot.next);
    }
    writeStatus(state);
    publish();
  }

  private SimulatedPod newPod(SimulatedDeployment state, int index) {
    String podName = state.name + "-" + state.spec.templateHash().substring(0, 10) + "-" + index;
    Path dir = settings.workDir().resolve(state.namespace).resolve(podName + "." + (++podSequence));
    SimulatedPod pod = new SimulatedPod(podName, index, state.spec, dir);
    for (IssuerPodSpec.ObjectVolume mount : state.spec.objectVolumes()) {
      pod.volumes.put(mount.volumeName(), new SecretVolumeWriter(pod.volumeDir(mount), settings.clock()));
    }
    return pod;
  }

  /** Mounts the volumes and starts the issuer once every required object exists, like the kubelet. */
  private void tryStart(SimulatedDeployment state, SimulatedPod pod) {
    if (pod == null || pod.stopped || pod.running != null) {
      return;
    }
    if (pod.lastFailedStart != null
        && pod.lastFailedStart.plus(RETRY_START_AFTER).isAfter(Instant.now())) {
      return;
    }
    if (!pod.spec.unsupportedMounts().isEmpty()) {
      // Never start a replica without files it expects: it would fail later, less clearly.
      pod.lastFailedStart = Instant.now();
      waiting(pod, "not started: embedded mode cannot provide the volume(s) "
          + String.join(", ", pod.spec.unsupportedMounts())
          + "; ServiceAccount mint authentication needs a real cluster (docs/embedded.md)");
      return;
    }
    Map<String, Path> dirs = new LinkedHashMap<>();
    try {
      for (IssuerPodSpec.ObjectVolume mount : pod.spec.objectVolumes()) {
        Optional<HasMetadata> source = sources.cached(mount, pod.spec.namespace());
        if (source.isEmpty() && !mount.optional()) {
          waiting(pod, mount.source().kind() + " " + mount.objectName() + " does not exist yet");
          return;
        }
        Map<String, FilePayload> payload =
            source.map(s -> VolumeProjection.payload(s, mount)).orElse(Map.of());
        pod.volumes.get(mount.volumeName()).write(payload);
        source.ifPresent(s -> pod.volumeVersions.put(mount.volumeName(), s.getMetadata().getResourceVersion()));
        dirs.put(mount.volumeName(), pod.volumeDir(mount));
      }
      Map<String, String> env = IssuerEnv.build(pod.spec, pod.name, dirs, refs);
      pod.running = launcher.start(env);
      pod.lastProblem = null;
      LOG.info("started issuer pod {}/{} at {}", pod.spec.namespace(), pod.name, pod.running.baseUri());
    } catch (Exception e) {
      pod.lastFailedStart = Instant.now();
      waiting(pod, "cannot start: " + e.getMessage());
    }
  }

  private void waiting(SimulatedPod pod, String problem) {
    if (!problem.equals(pod.lastProblem)) {
      LOG.warn("issuer pod {}/{} waits: {}", pod.spec.namespace(), pod.name, problem);
      pod.lastProblem = problem;
      publish(); // so the reason shows in the replica's view
    }
  }

  private void stop(SimulatedPod pod) {
    if (pod == null || pod.stopped) {
      return;
    }
    pod.stopped = true;
    pod.pendingSyncs.values().forEach(f -> f.cancel(false));
    pod.pendingSyncs.clear();
    if (pod.running != null) {
      try {
        pod.running.close();
      } catch (RuntimeException e) {
        LOG.warn("stopping issuer pod {} failed: {}", pod.name, e.toString());
      }
    }
    try {
      SecretVolumeWriter.deleteRecursively(pod.dir);
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", pod.dir, e.toString());
    }
  }

  private void onDeploymentDeleted(String key) {
    SimulatedDeployment state = deployments.remove(key);
    if (state == null) {
      return;
    }
    for (SimulatedDeployment.Slot slot : state.slots) {
      stop(slot.current);
      stop(slot.next);
    }
    syncSourceInformers();
    publish();
  }

  // ---- Secrets and ConfigMaps (watched by VolumeSources): syncing the replicas' files ----

  private void syncSourceInformers() {
    List<SimulatedPod> pods = new ArrayList<>();
    deployments.values().forEach(state -> pods.addAll(state.livePods()));
    sources.watchOnly(pods);
  }

  private void onSource(IssuerPodSpec.SourceKind kind, HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    Instant observedAt = settings.clock().instant();
    for (SimulatedDeployment state : deployments.values()) {
      boolean mounts = false;
      for (SimulatedPod pod : state.livePods()) {
        for (IssuerPodSpec.ObjectVolume mount : pod.spec.objectVolumes()) {
          if (mount.source() != kind || !pod.spec.namespace().equals(ns) || !mount.objectName().equals(name)) {
            continue;
          }
          mounts = true;
          if (pod.running == null) {
            tryStart(state, pod);
          } else if (!Objects.equals(pod.volumeVersions.get(mount.volumeName()), object.getMetadata().getResourceVersion())) {
            scheduleSync(state, pod, mount, observedAt);
          }
        }
      }
      if (mounts) {
        state.declaredDelay = propagation.declared(state.spec, state.latest);
        writeStatus(state);
      }
    }
    publish();
  }

  /**
   * One sync per replica and volume at a time: a change seen while one is pending rides along,
   * since the sync writes whatever the object holds when it fires (never an older version).
   */
  private void scheduleSync(SimulatedDeployment state, SimulatedPod pod, IssuerPodSpec.ObjectVolume mount, Instant observedAt) {
    if (pod.pendingSyncs.containsKey(mount.volumeName())) {
      return;
    }
    Duration max = state.maxKubeletDelay();
    ReplicaRef ref = new ReplicaRef(state.namespace, state.name, pod.index, state.spec.replicas());
    Duration delay = settings.delays().delay(ref, pod.updateCounter++, max);
    if (delay.isNegative() || delay.compareTo(max) > 0) {
      throw new IllegalStateException("propagation delay " + delay + " is outside [0, " + max + "]");
    }
    pod.pendingSyncs.put(
        mount.volumeName(),
        loop.schedule(
            () -> guarded(() -> sync(ref, pod, mount, observedAt, delay, max)),
            delay.toMillis(),
            TimeUnit.MILLISECONDS));
  }

  private void sync(ReplicaRef ref, SimulatedPod pod, IssuerPodSpec.ObjectVolume mount, Instant observedAt,
      Duration delay, Duration max) {
    pod.pendingSyncs.remove(mount.volumeName());
    if (pod.stopped) {
      return;
    }
    Optional<HasMetadata> source = sources.cached(mount, pod.spec.namespace());
    String version = source.map(s -> s.getMetadata().getResourceVersion()).orElse(null);
    Instant writtenAt = null;
    if (source.isPresent()) {
      try {
        if (pod.volumes.get(mount.volumeName()).write(VolumeProjection.payload(source.get(), mount))) {
          writtenAt = settings.clock().instant();
        }
        pod.volumeVersions.put(mount.volumeName(), version);
      } catch (IllegalStateException e) {
        LOG.warn("issuer pod {}: keeping the old files of volume {}: {}", pod.name, mount.volumeName(), e.getMessage());
      }
    }
    synchronized (updates) {
      if (updates.size() >= MAX_RECORDED_UPDATES) {
        updates.remove(0);
      }
      updates.add(new VolumeUpdate(ref, pod.name, mount.source().kind() + "/" + mount.objectName(), version,
          observedAt, delay, max, writtenAt));
    }
  }

  // ---- readiness and status ----

  private void probeAll() {
    for (SimulatedDeployment state : deployments.values()) {
      for (SimulatedDeployment.Slot slot : state.slots) {
        for (SimulatedPod pod : new SimulatedPod[] {slot.current, slot.next}) {
          if (pod == null || pod.stopped) {
            continue;
          }
          if (pod.running == null) {
            tryStart(state, pod);
          } else if (!pod.probing) {
            probe(state, pod);
          }
        }
      }
    }
  }

  private void probe(SimulatedDeployment state, SimulatedPod pod) {
    pod.probing = true;
    // Like the Deployment's probes: the public port, over HTTPS without verifying the certificate.
    URI target = pod.running.publicBaseUri().resolve("/readyz");
    HttpClient client = "https".equals(target.getScheme()) ? ProbeClients.https() : http;
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(1))
            .GET()
            .build();
    client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, error) -> submit(() -> {
          pod.probing = false;
          onProbe(state, pod, error == null && response.statusCode() == 200);
        }));
  }

  private void onProbe(SimulatedDeployment state, SimulatedPod pod, boolean ready) {
    if (pod.stopped || ready == pod.ready) {
      return;
    }
    pod.ready = ready;
    if (ready && !pod.announced) {
      pod.announced = true;
      for (SimulatedDeployment.Slot slot : state.slots) {
        if (slot.next == pod) {
          stop(slot.current);
          slot.current = pod;
          slot.next = null;
          state.restarts++;
        }
      }
      settings.listener().serving(SimulatorViews.of(state, pod));
    }
    writeStatus(state);
    publish();
  }

  private void writeStatus(SimulatedDeployment state) {
    if (deployments.containsKey(key(state.namespace, state.name))) {
      statusWriter.write(state);
    }
  }

  private void publish() {
    Map<String, DeploymentView> views = new LinkedHashMap<>();
    deployments.forEach((key, state) -> views.put(key, SimulatorViews.of(state)));
    snapshot = Map.copyOf(views);
    synchronized (published) {
      published.notifyAll();
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /**
   * Stops every issuer, removes the replicas' files and the watches; idempotent. Tasks still
   * queued are skipped (they would only start replicas to stop), and if the loop does not get to
   * the cleanup in time it is stopped and the cleanup runs here, so no replica outlives the
   * simulator and the work directory can be removed.
   */
  @Override
  public void close() {
    SharedIndexInformer<Deployment> informer;
    synchronized (this) {
      if (closeStarted) {
        return;
      }
      closeStarted = true;
      informer = deploymentInformer;
      deploymentInformer = null;
    }
    closed = true;
    if (informer != null) {
      informer.close();
    }
    if (probes != null) {
      probes.cancel(false);
    }
    boolean cleaned = false;
    try {
      loop.submit(this::stopEverything).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      cleaned = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      LOG.warn("kubelet simulator loop did not stop in time ({}); stopping the replicas here",
          e.toString());
    } finally {
      loop.shutdownNow();
      if (!cleaned) {
        try {
          if (!loop.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("kubelet simulator loop is still busy; stopping its replicas anyway");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        try {
          stopEverything();
        } catch (RuntimeException e) {
          LOG.warn("stopping the replicas failed: {}", e.toString());
        }
      }
      synchronized (published) {
        published.notifyAll();
      }
    }
  }

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private void stopEverything() {
    for (SimulatedDeployment state : List.copyOf(deployments.values())) {
      for (SimulatedDeployment.Slot slot : state.slots) {
        stop(slot.current);
        stop(slot.next);
      }
    }
    deployments.clear();
    sources.close();
    publish();
  }
}
