package io.macp.devcluster.bench;

import com.sun.management.OperatingSystemMXBean;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.macp.keyset.NativeCrypto;
import io.macp.operator.MacpOperatorFactory;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.resources.IssuerNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Scale benchmark (issue 3, "Scale"): how long N MacpIssuers (300 by default) take to become
 * Ready against the fabric8 mock API server in CRUD mode, with the real operator
 * ({@link MacpOperatorFactory}), and the operator's used heap after a full GC once they are.
 *
 * <p>The API server and a stand-in Deployment controller ({@link AvailableDeployments}) run in a
 * child JVM ({@link ScaleApiServer}), so this JVM holds only the operator and a small driver whose
 * watch and client are closed before the heap is read. Not a test: run it with
 * {@code bench/operator-scale.sh}. Results are printed as {@code RESULT key=value} lines on stdout.
 *
 * <p>System properties: {@code bench.issuers} (300), {@code bench.alg} (RS256; the default policy,
 * RSA 2048), {@code bench.timeoutSeconds} (900), {@code bench.idleSeconds} (10: CPU and
 * reconciliations counted while nothing changes, after all are Ready), {@code bench.nativeCrypto}
 * (false: when true, ACCP is installed in this JVM first, so key generation uses AWS-LC).
 */
public final class OperatorScaleBench {
  private static final String NAMESPACE = "bench";

  private OperatorScaleBench() {}

  public static void main(String[] args) throws Exception {
    int issuers = Integer.getInteger("bench.issuers", 300);
    String alg = System.getProperty("bench.alg", "RS256");
    Duration timeout = Duration.ofSeconds(Long.getLong("bench.timeoutSeconds", 900));
    Duration idle = Duration.ofSeconds(Long.getLong("bench.idleSeconds", 10));
    if (Boolean.getBoolean("bench.nativeCrypto")) {
      result("crypto_provider", NativeCrypto.install().replace(' ', '_'));
    } else {
      result("crypto_provider", "JDK");
    }
    result("issuers", issuers);
    result("alg", alg);

    Process api = startApiServer();
    try {
      run(apiUrl(api), api.toHandle(), issuers, alg, timeout, idle);
    } finally {
      // End of input tells the API server process to stop.
      try {
        api.getOutputStream().close();
      } catch (IOException e) {
        // already gone
      }
      if (!api.waitFor(10, TimeUnit.SECONDS)) {
        api.destroyForcibly();
      }
    }
  }

  private static void run(
      String url, ProcessHandle api, int issuers, String alg, Duration timeout, Duration idle)
      throws InterruptedException {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    KubernetesClient operatorClient = client(url);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Operator operator = MacpOperatorFactory.create(operatorClient, registry, Clock.systemUTC(), false);
    long startNanos = System.nanoTime();
    operator.start();
    result("operator_start_ms", millis(System.nanoTime() - startNanos));
    try {
      long cpuBefore = os.getProcessCpuTime();
      Duration apiCpuBefore = cpu(api);
      long t0;
      List<Duration> perIssuer;
      try (KubernetesClient driver = client(url);
          ReadinessTracker tracker = new ReadinessTracker(driver, NAMESPACE, issuers).start()) {
        t0 = System.nanoTime();
        for (int i = 0; i < issuers; i++) {
          String name = String.format(Locale.ROOT, "bench-%03d", i);
          tracker.created(name, System.nanoTime());
          driver.resource(issuer(name, alg)).create();
        }
        result("create_all_ms", millis(System.nanoTime() - t0));
        boolean done = awaitWithProgress(tracker, issuers, t0, timeout);
        result("all_ready", done);
        result("keys_ready_count", tracker.keysReadyCount());
        result("ready_count", tracker.readyCount());
        result("all_keys_ready_ms", millis(tracker.lastKeysReadyNanos() - t0));
        result("all_ready_ms", millis(tracker.lastReadyNanos() - t0));
        perIssuer = tracker.createdToReady();
        result("issuer_to_ready_p50_ms", percentile(perIssuer, 50));
        result("issuer_to_ready_p90_ms", percentile(perIssuer, 90));
        result("issuer_to_ready_max_ms", percentile(perIssuer, 100));
        // The work really happened: one key Secret per issuer.
        result("key_secrets", driver.secrets().inNamespace(NAMESPACE)
            .withLabelSelector(IssuerNames.MANAGED_SELECTOR).list().getItems().size());
        result("throughput_issuers_per_s", String.format(Locale.ROOT, "%.1f",
            tracker.readyCount() / ((tracker.lastReadyNanos() - t0) / 1e9)));
      }
      result("cpu_to_ready_s", String.format(Locale.ROOT, "%.1f",
          (os.getProcessCpuTime() - cpuBefore) / 1e9));
      // The API server's share (it runs the stand-in Deployment controller too).
      result("api_cpu_to_ready_s", String.format(Locale.ROOT, "%.1f",
          cpu(api).minus(apiCpuBefore).toMillis() / 1e3));

      // Quiet period: with every issuer Ready and nothing due for hours, the operator should be idle.
      double reconcilesBefore = reconciliations(registry);
      long idleCpu = os.getProcessCpuTime();
      Thread.sleep(idle.toMillis());
      result("idle_seconds", idle.toSeconds());
      result("idle_cpu_percent", String.format(Locale.ROOT, "%.1f",
          100.0 * (os.getProcessCpuTime() - idleCpu) / idle.toNanos()));
      result("idle_reconciliations", (long) (reconciliations(registry) - reconcilesBefore));
      result("reconciliations_total", (long) reconciliations(registry));

      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(200);
      }
      result("heap_used_after_gc_mib", mib(memory.getHeapMemoryUsage().getUsed()));
      result("heap_committed_mib", mib(memory.getHeapMemoryUsage().getCommitted()));
      result("heap_max_mib", mib(memory.getHeapMemoryUsage().getMax()));
      result("nonheap_used_mib", mib(memory.getNonHeapMemoryUsage().getUsed()));
      result("rss_mib", rssMib());
      result("threads", ManagementFactory.getThreadMXBean().getThreadCount());
      result("gc", ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().replace(' ', '_'));
    } finally {
      operator.stop();
      operatorClient.close();
      registry.close();
    }
  }

  private static boolean awaitWithProgress(
      ReadinessTracker tracker, int issuers, long t0, Duration timeout) throws InterruptedException {
    long deadline = t0 + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (tracker.awaitAllReady(Duration.ofSeconds(5))) {
        return true;
      }
      System.err.printf(Locale.ROOT, "bench: %5.1fs keysReady %d/%d ready %d/%d%n",
          (System.nanoTime() - t0) / 1e9, tracker.keysReadyCount(), issuers,
          tracker.readyCount(), issuers);
    }
    return false;
  }

  private static MacpIssuer issuer(String name, String alg) {
    MacpIssuerSpec spec = new MacpIssuerSpec(); // the defaults: RS256 2048, 24h period, 2 replicas
    spec.getSigning().setAlgorithm(alg);
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    issuer.setSpec(spec);
    return issuer;
  }

  private static KubernetesClient client(String url) {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withTrustCerts(true)
        .withNamespace(NAMESPACE)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The child JVM, same class path, its log lines passed through to stderr. */
  private static Process startApiServer() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(List.of(System.getProperty("bench.apiJvmFlags", "-Xmx2g").split(" ")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        ScaleApiServer.class.getName()));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String apiUrl(Process api) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(api.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("API ")) {
        String url = line.substring(4).trim();
        Thread drain = new Thread(() -> out.lines().forEach(l -> System.out.println(
            l.startsWith("DEPLOYMENT_STATUS_WRITES ")
                ? "RESULT deployment_status_writes=" + l.substring(25) : "api: " + l)),
            "api-stdout");
        drain.setDaemon(true);
        drain.start();
        return url;
      }
    }
    throw new IllegalStateException("the API server process ended before serving");
  }

  private static Duration cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  private static double reconciliations(MeterRegistry registry) {
    return registry.find("operator.sdk.reconciliations.started").counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  private static long percentile(List<Duration> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))).toMillis();
  }

  private static String rssMib() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("VmRSS:"))
          .map(l -> String.format(Locale.ROOT, "%.1f",
              Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0))
          .findFirst().orElse("-");
    } catch (IOException e) {
      return "-";
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static void result(String key, Object value) {
    System.out.println("RESULT " + key + "=" + value);
    System.out.flush();
  }
}
