package io.macp.operator.embedded;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.macp.keyset.RotationPolicy;
import io.macp.operator.embedded.SecretVolumeWriter.FilePayload;
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
import java.util.HashMap;
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
  private final Map<String, DeploymentState> deployments = new LinkedHashMap<>();
  private final Map<String, SharedIndexInformer<? extends HasMetadata>> sourceInformers = new HashMap<>();
  private final List<VolumeUpdate> updates = new ArrayList<>();
  private final Object published = new Object();
  private volatile Map<String, DeploymentView> snapshot = Map.of();
  private SharedIndexInformer<Deployment> deploymentInformer;
  private ScheduledFuture<?> probes;
  private long podSequence;
  private volatile boolean closed;

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

  private static final class DeploymentState {
    final String namespace;
    final String name;
    Deployment latest;
    IssuerPodSpec spec;
    Duration declaredDelay = RotationPolicy.DEFAULTS.propagationDelay();
    final List<Slot> slots = new ArrayList<>();
    final List<String> templateHistory = new ArrayList<>();
    int restarts;

    DeploymentState(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }

    Duration maxKubeletDelay() {
      return DeclaredPropagation.kubeletBound(declaredDelay, spec);
    }
  }

  /** One replica index: the pod serving it, and during a rollout its replacement. */
  private static final class Slot {
    final int index;
    Pod current;
    Pod next;

    Slot(int index) {
      this.index = index;
    }
  }

  private static final class Pod {
    final String name;
    final int index;
    final IssuerPodSpec spec;
    final Path dir;
    final Map<String, SecretVolumeWriter> volumes = new LinkedHashMap<>();
    final Map<String, ScheduledFuture<?>> pendingSyncs = new HashMap<>();
    /** volume -> the resourceVersion of the Secret or ConfigMap its files hold */
    final Map<String, String> volumeVersions = new HashMap<>();
    IssuerLauncher.Running running;
    boolean ready;
    boolean announced;
    boolean probing;
    boolean stopped;
    long updateCounter;
    Instant lastFailedStart;
    String lastProblem;

    Pod(String name, int index, IssuerPodSpec spec, Path dir) {
      this.name = name;
      this.index = index;
      this.spec = spec;
      this.dir = dir;
    }

    /** Where the volume's files are: see {@link #replicaPath}. */
    Path volumeDir(IssuerPodSpec.ObjectVolume mount) {
      return replicaPath(dir, mount.mountPath());
    }
  }

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
    DeploymentState state = deployments.computeIfAbsent(key(ns, name), k -> new DeploymentState(ns, name));
    state.latest = d;
    state.spec = spec;
    if (state.templateHistory.isEmpty()
        || !state.templateHistory.get(state.templateHistory.size() - 1).equals(spec.templateHash())) {
      state.templateHistory.add(spec.templateHash());
    }
    state.declaredDelay = propagation.declared(state.spec, state.latest);
    reconcile(state);
  }

  private void reconcile(DeploymentState state) {
    IssuerPodSpec spec = state.spec;
    while (state.slots.size() > spec.replicas()) {
      Slot gone = state.slots.remove(state.slots.size() - 1);
      stop(gone.current);
      stop(gone.next);
    }
    while (state.slots.size() < spec.replicas()) {
      Slot slot = new Slot(state.slots.size());
      slot.current = newPod(state, slot.index);
      state.slots.add(slot);
    }
    for (Slot slot : state.slots) {
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
    for (Slot slot : state.slots) {
      tryStart(state, slot.current);
      tryStart(state, slot.next);
    }
    writeStatus(state);
    publish();
  }

  private Pod newPod(DeploymentState state, int index) {
    String podName = state.name + "-" + state.spec.templateHash().substring(0, 10) + "-" + index;
    Path dir = settings.workDir().resolve(state.namespace).resolve(podName + "." + (++podSequence));
    Pod pod = new Pod(podName, index, state.spec, dir);
    for (IssuerPodSpec.ObjectVolume mount : state.spec.objectVolumes()) {
      pod.volumes.put(mount.volumeName(), new SecretVolumeWriter(pod.volumeDir(mount), settings.clock()));
    }
    return pod;
  }

  /**
   * A mount path inside the replica's directory, laid out like the pod's file system
   * ({@code <pod>/root/var/run/macp/mint-policy}): paths relative to one mount, like the mint
   * policy's {@code ../mint-tokens}, find the neighbouring mount as in a pod.
   *
   * @throws IllegalArgumentException for a mount path that is not absolute or leaves the root
   */
  static Path replicaPath(Path podDir, String mountPath) {
    Path root = podDir.resolve("root");
    if (mountPath == null || !mountPath.startsWith("/")) {
      throw new IllegalArgumentException("mount path '" + mountPath + "' must be absolute");
    }
    Path path = root.resolve(mountPath.substring(1)).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("mount path '" + mountPath + "' must name a directory below /");
    }
    return path;
  }

  /** Mounts the volumes and starts the issuer once every required object exists, like the kubelet. */
  private void tryStart(DeploymentState state, Pod pod) {
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
        Optional<HasMetadata> source = cachedSource(mount, pod.spec.namespace());
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

  private void waiting(Pod pod, String problem) {
    if (!problem.equals(pod.lastProblem)) {
      LOG.warn("issuer pod {}/{} waits: {}", pod.spec.namespace(), pod.name, problem);
      pod.lastProblem = problem;
      publish(); // so the reason shows in the replica's view
    }
  }

  private void stop(Pod pod) {
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
    DeploymentState state = deployments.remove(key);
    if (state == null) {
      return;
    }
    for (Slot slot : state.slots) {
      stop(slot.current);
      stop(slot.next);
    }
    syncSourceInformers();
    publish();
  }

  // ---- Secrets and ConfigMaps: one watch per mounted object, like the kubelet's watch strategy ----

  /** "Secret/ns/name" or "ConfigMap/ns/name". */
  private static String sourceKey(IssuerPodSpec.SourceKind kind, String namespace, String name) {
    return kind.kind() + "/" + namespace + "/" + name;
  }

  private void syncSourceInformers() {
    Map<String, IssuerPodSpec.ObjectVolume> needed = new HashMap<>();
    Map<String, String> namespaces = new HashMap<>();
    for (DeploymentState state : deployments.values()) {
      for (Pod pod : pods(state)) {
        for (IssuerPodSpec.ObjectVolume v : pod.spec.objectVolumes()) {
          String key = sourceKey(v.source(), pod.spec.namespace(), v.objectName());
          needed.put(key, v);
          namespaces.put(key, pod.spec.namespace());
        }
      }
    }
    needed.forEach((key, v) -> sourceInformers.computeIfAbsent(key,
        k -> inform(v.source(), namespaces.get(key), v.objectName())));
    sourceInformers.keySet().removeIf(key -> {
      if (needed.containsKey(key)) {
        return false;
      }
      sourceInformers.get(key).close();
      return true;
    });
  }

  private SharedIndexInformer<? extends HasMetadata> inform(
      IssuerPodSpec.SourceKind kind, String namespace, String name) {
    ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata o) {
        submit(() -> onSource(kind, o));
      }

      @Override
      public void onUpdate(HasMetadata old, HasMetadata o) {
        if (!Objects.equals(old.getMetadata().getResourceVersion(), o.getMetadata().getResourceVersion())) {
          submit(() -> onSource(kind, o));
        }
      }

      @Override
      public void onDelete(HasMetadata o, boolean unknownFinalState) {
        // The kubelet keeps the last files of a deleted Secret or ConfigMap; so do we.
      }
    };
    return switch (kind) {
      case SECRET -> client.secrets().inNamespace(namespace).withName(name).inform(handler, 0);
      case CONFIG_MAP -> client.configMaps().inNamespace(namespace).withName(name).inform(handler, 0);
    };
  }

  private Optional<HasMetadata> cachedSource(IssuerPodSpec.ObjectVolume v, String namespace) {
    return Optional.ofNullable(sourceInformers.get(sourceKey(v.source(), namespace, v.objectName())))
        .map(i -> (HasMetadata) i.getStore().getByKey(namespace + "/" + v.objectName()));
  }

  private void onSource(IssuerPodSpec.SourceKind kind, HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    Instant observedAt = settings.clock().instant();
    for (DeploymentState state : deployments.values()) {
      boolean mounts = false;
      for (Pod pod : pods(state)) {
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
  private void scheduleSync(DeploymentState state, Pod pod, IssuerPodSpec.ObjectVolume mount, Instant observedAt) {
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

  private void sync(ReplicaRef ref, Pod pod, IssuerPodSpec.ObjectVolume mount, Instant observedAt,
      Duration delay, Duration max) {
    pod.pendingSyncs.remove(mount.volumeName());
    if (pod.stopped) {
      return;
    }
    Optional<HasMetadata> source = cachedSource(mount, pod.spec.namespace());
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
    for (DeploymentState state : deployments.values()) {
      for (Slot slot : state.slots) {
        for (Pod pod : new Pod[] {slot.current, slot.next}) {
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

  private void probe(DeploymentState state, Pod pod) {
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

  private void onProbe(DeploymentState state, Pod pod, boolean ready) {
    if (pod.stopped || ready == pod.ready) {
      return;
    }
    pod.ready = ready;
    if (ready && !pod.announced) {
      pod.announced = true;
      for (Slot slot : state.slots) {
        if (slot.next == pod) {
          stop(slot.current);
          slot.current = pod;
          slot.next = null;
          state.restarts++;
        }
      }
      settings.listener().serving(view(state, pod));
    }
    writeStatus(state);
    publish();
  }

  private void writeStatus(DeploymentState state) {
    if (!deployments.containsKey(key(state.namespace, state.name))) {
      return;
    }
    int pods = 0;
    int updated = 0;
    int ready = 0;
    int updatedReady = 0;
    for (Pod pod : pods(state)) {
      boolean current = pod.spec.templateHash().equals(state.spec.templateHash());
      pods++;
      updated += current ? 1 : 0;
      ready += pod.ready ? 1 : 0;
      updatedReady += current && pod.ready ? 1 : 0;
    }
    DeploymentStatus previous = state.latest.getStatus();
    long generation = Optional.ofNullable(state.latest.getMetadata().getGeneration()).orElse(0L);
    DeploymentStatus status =
        DeploymentStatusCalculator.compute(
            generation,
            new DeploymentStatusCalculator.Counts(state.spec.replicas(), pods, updated, ready, updatedReady),
            previous,
            settings.clock().instant());
    if (DeploymentStatusCalculator.sameIgnoringTimes(previous, status)) {
      return;
    }
    try {
      // PUT /status: the mock applies it to whatever it holds now. A JSON patch computed from an
      // older copy fails inside the mock (no answer at all) when a concurrent PUT of the Deployment,
      // which has no status subresource there, has meanwhile erased the status.
      Deployment withStatus = new DeploymentBuilder(state.latest).withStatus(status).build();
      Deployment written =
          client.apps().deployments().inNamespace(state.namespace).resource(withStatus).updateStatus();
      if (written != null) {
        state.latest = written;
      }
    } catch (RuntimeException e) {
      // Deleted meanwhile, or the API is shutting down: the next event retries.
      LOG.debug("cannot write the status of Deployment {}/{}: {}", state.namespace, state.name, e.toString());
    }
  }

  private void publish() {
    Map<String, DeploymentView> views = new LinkedHashMap<>();
    deployments.forEach((key, state) -> views.put(key, view(state)));
    snapshot = Map.copyOf(views);
    synchronized (published) {
      published.notifyAll();
    }
  }

  private DeploymentView view(DeploymentState state) {
    List<ReplicaView> replicas = new ArrayList<>();
    boolean serving = state.slots.size() == state.spec.replicas();
    for (Slot slot : state.slots) {
      replicas.add(view(state, slot.current));
      serving &= slot.next == null
          && slot.current.ready
          && slot.current.spec.templateHash().equals(state.spec.templateHash());
    }
    return new DeploymentView(
        state.namespace,
        state.name,
        state.spec.generation(),
        state.spec.replicas(),
        state.spec.templateHash(),
        state.declaredDelay,
        state.maxKubeletDelay(),
        state.restarts,
        List.copyOf(state.templateHistory),
        List.copyOf(replicas),
        serving);
  }

  private ReplicaView view(DeploymentState state, Pod pod) {
    Path keysDir = IssuerEnv.keysMount(pod.spec).map(pod::volumeDir).orElse(null);
    return new ReplicaView(
        state.namespace,
        state.name,
        pod.index,
        pod.name,
        pod.spec.templateHash(),
        pod.running == null ? null : pod.running.baseUri(),
        pod.ready,
        keysDir,
        pod.running == null ? null : pod.running.publicBaseUri(),
        pod.lastProblem);
  }

  private static List<Pod> pods(DeploymentState state) {
    List<Pod> pods = new ArrayList<>();
    for (Slot slot : state.slots) {
      if (slot.current != null && !slot.current.stopped) {
        pods.add(slot.current);
      }
      if (slot.next != null && !slot.next.stopped) {
        pods.add(slot.next);
      }
    }
    return pods;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** Stops every issuer, removes the replicas' files and the watches; idempotent. */
  @Override
  public void close() {
    SharedIndexInformer<Deployment> informer;
    synchronized (this) {
      informer = deploymentInformer;
      deploymentInformer = null;
    }
    if (informer != null) {
      informer.close();
    }
    if (probes != null) {
      probes.cancel(false);
    }
    try {
      loop.submit(() -> {
        for (DeploymentState state : deployments.values()) {
          for (Slot slot : state.slots) {
            stop(slot.current);
            stop(slot.next);
          }
        }
        deployments.clear();
        sourceInformers.values().forEach(SharedIndexInformer::close);
        sourceInformers.clear();
        publish();
      }).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("kubelet simulator did not stop cleanly: {}", e.toString());
    } finally {
      closed = true;
      loop.shutdownNow();
      synchronized (published) {
        published.notifyAll();
      }
    }
  }
}
