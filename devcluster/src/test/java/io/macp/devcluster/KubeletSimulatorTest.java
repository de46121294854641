package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.operator.resources.IssuerNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeletSimulatorTest {
  private static final String NS = "ns";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path work;
  private MockApiServer api;
  private KubernetesClient client;
  private FileServingLauncher launcher;
  private KubeletSimulator kubelet;
  private final List<ReplicaView> announced = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    api = MockApiServer.start();
    client = api.newClient();
    launcher = new FileServingLauncher();
    kubelet = new KubeletSimulator(api.newClient(), launcher,
        new KubeletSimulator.Settings(work, Clock.systemUTC(), PropagationDelays.seeded(3),
            Duration.ofMillis(50), announced::add)).start();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    api.close();
  }

  private static Secret keys(String content) {
    return new SecretBuilder()
        .withNewMetadata().withName("iss-keys").withNamespace(NS)
        .withLabels(Map.of(IssuerNames.MANAGED_BY_LABEL, IssuerNames.MANAGED_BY)).endMetadata()
        .addToData(IssuerNames.KEYSET_KEY,
            Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  @Test
  void configMapVolumesAreMaterializedAndUpdatedToo() throws Exception {
    client.resource(keys("v1")).create();
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("policy").withNamespace(NS).endMetadata()
        .addToData("policy.json", "{\"v\":1}").build()).create();
    Deployment d = deployment(1, "MINT_POLICY_FILE", "/var/run/macp/mint-policy/policy.json");
    var pod = d.getSpec().getTemplate().getSpec();
    pod.getContainers().get(0).getVolumeMounts().add(new VolumeMountBuilder()
        .withName("policy").withMountPath("/var/run/macp/mint-policy").build());
    pod.getVolumes().add(new VolumeBuilder().withName("policy")
        .withNewConfigMap().withName("policy").endConfigMap().build());
    client.resource(d).create();

    kubelet.awaitServing(NS, "iss", WAIT);
    Path policy = Path.of(launcher.envs.get(0).get("MINT_POLICY_FILE"));
    assertThat(policy).startsWith(work);
    assertThat(Files.readString(policy)).isEqualTo("{\"v\":1}");

    client.configMaps().inNamespace(NS).withName("policy").edit(c -> {
      c.getData().put("policy.json", "{\"v\":2}");
      return c;
    });
    await().atMost(WAIT).until(() -> Files.readString(policy).equals("{\"v\":2}"));
    assertThat(kubelet.volumeUpdates()).anySatisfy(u -> assertThat(u.source()).isEqualTo("ConfigMap/policy"));
    assertThat(kubelet.restarts(NS, "iss")).isZero();
  }

  private static Deployment deployment(int replicas, String... extraEnv) {
    DeploymentBuilder b = new DeploymentBuilder()
        .withNewMetadata().withName("iss").withNamespace(NS)
        .withLabels(Map.of(IssuerNames.MANAGED_BY_LABEL, IssuerNames.MANAGED_BY)).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewTemplate()
        .withNewMetadata().withLabels(Map.of("app", "iss")).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("issuer").withImage("macp/issuer:test")
        .addNewEnv().withName(IssuerEnv.KEYSET_FILE).withValue(IssuerNames.KEYS_MOUNT_PATH + "/keyset.json").endEnv()
        .addNewEnv().withName(DeclaredPropagation.PROPAGATION_DELAY_ENV).withValue("1s").endEnv()
        .addNewEnv().withName(DeclaredPropagation.POLL_INTERVAL_ENV).withValue("200ms").endEnv()
        .addNewEnv().withName("PORT").withValue("3200").endEnv()
        .addNewVolumeMount().withName("keys").withMountPath(IssuerNames.KEYS_MOUNT_PATH).withReadOnly(true).endVolumeMount()
        .endContainer()
        .addNewVolume().withName("keys").withNewSecret().withSecretName("iss-keys").withDefaultMode(0400).endSecret().endVolume()
        .endSpec()
        .endTemplate()
        .endSpec();
    Deployment d = b.build();
    for (int i = 0; i + 1 < extraEnv.length; i += 2) {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().add(new EnvVar(extraEnv[i], extraEnv[i + 1], null));
    }
    return d;
  }

  private String file(URI base) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve("/file")).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void runsOneReplicaPerDesiredPodOnTheMountedSecretAndReportsDeploymentStatus() throws Exception {
    client.resource(keys("v1")).create();
    client.resource(deployment(2)).create();

    KubeletSimulator.DeploymentView view = kubelet.awaitServing(NS, "iss", WAIT);

    assertThat(view.replicas()).hasSize(2).extracting(ReplicaView::index).containsExactly(0, 1);
    assertThat(view.declaredPropagationDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(view.maxKubeletDelay()).as("1s minus the 200ms poll").isEqualTo(Duration.ofMillis(800));
    for (ReplicaView r : view.replicas()) {
      assertThat(file(r.baseUri())).isEqualTo("v1");
      assertThat(r.baseUri().getHost()).isEqualTo("127.0.0.1");
      assertThat(Files.isSymbolicLink(r.keysDir().resolve("..data"))).isTrue();
    }
    assertThat(launcher.envs).allSatisfy(env -> {
      assertThat(env).containsEntry("PORT", "0").containsEntry("MACP_AUTH_BIND_ADDRESS", "127.0.0.1");
      assertThat(env.get(IssuerEnv.KEYSET_FILE)).startsWith(work.toString()).endsWith("/keyset.json");
    });
    assertThat(launcher.envs).extracting(env -> env.get(IssuerEnv.KEYSET_FILE)).doesNotHaveDuplicates();
    assertThat(announced).hasSize(2);

    await().atMost(WAIT).untilAsserted(() -> {
      var status = client.apps().deployments().inNamespace(NS).withName("iss").get().getStatus();
      assertThat(status.getReadyReplicas()).isEqualTo(2);
      assertThat(status.getAvailableReplicas()).isEqualTo(2);
      assertThat(status.getUpdatedReplicas()).isEqualTo(2);
      assertThat(status.getObservedGeneration()).isEqualTo(1L);
      assertThat(status.getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Available");
        assertThat(c.getStatus()).isEqualTo("True");
      });
    });
  }

  @Test
  void aSecretUpdateReachesEachReplicaAfterItsOwnDelayWithoutARestart() throws Exception {
    client.resource(keys("v1")).create();
    client.resource(deployment(2)).create();
    List<URI> before = kubelet.awaitServing(NS, "iss", WAIT).baseUris();
    List<Path> firstVersionDirs = kubelet.replicas(NS, "iss").stream()
        .map(r -> uncheckedTsDir(r.keysDir())).toList();

    client.secrets().inNamespace(NS).withName("iss-keys").edit(s -> keys("v2"));

    for (URI uri : before) {
      await().atMost(WAIT).until(() -> file(uri).equals("v2"));
    }
    await().atMost(WAIT).until(() -> kubelet.volumeUpdates().stream().filter(u -> u.writtenAt() != null).count() == 2);
    List<VolumeUpdate> updates = kubelet.volumeUpdates();
    assertThat(updates).extracting(u -> u.replica().index()).containsExactlyInAnyOrder(0, 1);
    assertThat(updates).allSatisfy(u -> {
      assertThat(u.maxDelay()).isEqualTo(Duration.ofMillis(800));
      assertThat(u.delay()).isBetween(Duration.ZERO, u.maxDelay());
      assertThat(u.writtenAt()).as("never before its delay")
          .isAfterOrEqualTo(u.observedAt().plus(u.delay()).minusMillis(5));
    });
    assertThat(updates.get(0).delay()).as("replicas draw their own delays").isNotEqualTo(updates.get(1).delay());
    assertThat(firstVersionDirs).allSatisfy(dir -> assertThat(dir).doesNotExist());
    assertThat(kubelet.restarts(NS, "iss")).isZero();
    assertThat(kubelet.deployment(NS, "iss").orElseThrow().baseUris()).isEqualTo(before);
    assertThat(launcher.envs).hasSize(2);
  }

  @Test
  void scalesUpAndDownAndReplacesPodsWhenTheTemplateChanges() throws Exception {
    client.resource(keys("v1")).create();
    client.resource(deployment(1)).create();
    kubelet.awaitServing(NS, "iss", WAIT);

    client.apps().deployments().inNamespace(NS).withName("iss").edit(d -> deployment(3));
    assertThat(kubelet.awaitServing(NS, "iss", WAIT).replicas()).hasSize(3);
    Path third = kubelet.replicas(NS, "iss").get(2).keysDir();

    client.apps().deployments().inNamespace(NS).withName("iss").edit(d -> deployment(1));
    await().atMost(WAIT).until(() -> kubelet.replicas(NS, "iss").size() == 1);
    assertThat(third).doesNotExist();
    assertThat(kubelet.restarts(NS, "iss")).isZero();
    String oldPod = kubelet.replicas(NS, "iss").get(0).pod();

    client.apps().deployments().inNamespace(NS).withName("iss").edit(d -> deployment(1, "EXTRA", "x"));
    await().atMost(WAIT).until(() -> kubelet.restarts(NS, "iss") == 1);
    KubeletSimulator.DeploymentView view = kubelet.awaitServing(NS, "iss", WAIT);
    assertThat(view.replicas().get(0).pod()).isNotEqualTo(oldPod);
    assertThat(view.templateHistory()).hasSize(2);
    assertThat(launcher.envs.get(launcher.envs.size() - 1)).containsEntry("EXTRA", "x");
  }

  @Test
  void aPodWaitsForItsSecretLikeTheKubelet() throws Exception {
    client.resource(deployment(1)).create();
    assertThatThrownBy(() -> kubelet.awaitServing(NS, "iss", Duration.ofMillis(500)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("ns/iss");
    assertThat(launcher.envs).isEmpty();

    client.resource(keys("late")).create();
    assertThat(file(kubelet.awaitServing(NS, "iss", WAIT).replicas().get(0).baseUri())).isEqualTo("late");
  }

  @Test
  void deletingTheDeploymentStopsItsReplicasAndRemovesTheirFiles() throws Exception {
    client.resource(keys("v1")).create();
    client.resource(deployment(2)).create();
    KubeletSimulator.DeploymentView view = kubelet.awaitServing(NS, "iss", WAIT);

    client.apps().deployments().inNamespace(NS).withName("iss").delete();

    await().atMost(WAIT).until(() -> kubelet.deployment(NS, "iss").isEmpty());
    for (ReplicaView r : view.replicas()) {
      assertThat(r.keysDir()).doesNotExist();
      assertThatThrownBy(() -> file(r.baseUri())).isInstanceOf(java.io.IOException.class);
    }
  }

  /**
   * User report: {@code replicas: 100000} made the simulator start thousands of in-process
   * issuers. A Deployment written straight to the API server (no CRD in the way) asking for more
   * than the bound is refused with one log line, and a count within it is simulated again.
   */
  @Test
  void aDeploymentAskingForMoreReplicasThanTheBoundIsRefusedWithOneLogLine() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(KubeletSimulator.class);
    var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    log.start();
    logger.addAppender(log);
    try {
      client.resource(keys("v1")).create();
      client.resource(deployment(2)).create();
      KubeletSimulator.DeploymentView two = kubelet.awaitServing(NS, "iss", WAIT);

      client.apps().deployments().inNamespace(NS).withName("iss")
          .edit(d -> deployment(40));

      await().atMost(WAIT).until(() -> log.list.stream().anyMatch(e ->
          e.getFormattedMessage().startsWith("not simulating Deployment ns/iss: it asks for 40"
              + " replicas, more than the 32 the embedded cluster runs")));
      await().atMost(WAIT).until(() -> kubelet.deployment(NS, "iss").isEmpty());
      for (ReplicaView r : two.replicas()) {
        assertThat(r.keysDir()).doesNotExist();
        assertThatThrownBy(() -> file(r.baseUri())).isInstanceOf(java.io.IOException.class);
      }
      assertThat(launcher.envs).hasSize(2);
      Thread.sleep(300); // a few probe periods: nothing more starts, nothing more is logged
      assertThat(launcher.envs).hasSize(2);
      assertThat(log.list).filteredOn(e -> e.getFormattedMessage().startsWith("not simulating"))
          .hasSize(1);

      client.apps().deployments().inNamespace(NS).withName("iss")
          .edit(d -> deployment(KubeletSimulator.MAX_REPLICAS));
      assertThat(kubelet.awaitServing(NS, "iss", WAIT).replicas())
          .hasSize(KubeletSimulator.MAX_REPLICAS);
    } finally {
      logger.detachAppender(log);
    }
  }

  /**
   * User report: after SIGTERM the work directory of an embedded cluster with many replicas was
   * left behind, because close() gave up waiting behind the replica starts still queued and never
   * stopped the replicas. Here starts are slow (as with many replicas on a loaded machine): close
   * returns promptly, every started replica is stopped and its files are gone.
   */
  @Test
  void closeStopsEveryReplicaAndRemovesItsFilesWhileStartsAreStillPending() throws Exception {
    kubelet.close();
    FileServingLauncher fast = new FileServingLauncher();
    List<URI> started = new CopyOnWriteArrayList<>();
    IssuerLauncher slow = env -> {
      try {
        Thread.sleep(1500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.IOException("interrupted");
      }
      IssuerLauncher.Running running = fast.start(env);
      started.add(running.baseUri());
      return running;
    };
    kubelet = new KubeletSimulator(api.newClient(), slow,
        new KubeletSimulator.Settings(work, Clock.systemUTC(), PropagationDelays.seeded(3),
            Duration.ofMillis(50), announced::add)).start();
    client.resource(keys("v1")).create();
    client.resource(deployment(KubeletSimulator.MAX_REPLICAS)).create();
    await().atMost(WAIT).until(() -> started.size() >= 2);

    long t0 = System.nanoTime();
    kubelet.close();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(took).isLessThan(Duration.ofSeconds(8));
    assertThat(started.size()).isLessThan(KubeletSimulator.MAX_REPLICAS);
    for (URI uri : started) {
      assertThatThrownBy(() -> file(uri)).isInstanceOf(java.io.IOException.class);
    }
    try (var files = Files.walk(work)) {
      assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
    }
  }

  private static Path uncheckedTsDir(Path keysDir) {
    try {
      return keysDir.resolve(Files.readSymbolicLink(keysDir.resolve("..data")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
