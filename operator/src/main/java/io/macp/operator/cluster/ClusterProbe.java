package io.macp.operator.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Whether a Kubernetes API server answers, asked once with a short timeout (GET /version). */
public final class ClusterProbe {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

  /**
   * @param reachable an API server answered
   * @param description the server's URL and version, or why it could not be reached
   */
  public record Result(boolean reachable, String description) {}

  private ClusterProbe() {}

  public static Result probe(Config config, Duration timeout) {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    Config quick =
        new ConfigBuilder(config)
            .withConnectionTimeout(millis)
            .withRequestTimeout(millis)
            .withRequestRetryBackoffLimit(0)
            .build();
    String server = config.getMasterUrl();
    CompletableFuture<Result> answer =
        CompletableFuture.supplyAsync(() -> ask(quick, server));
    try {
      return answer.get(millis + 500L, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      return new Result(false, server + " did not answer within " + timeout.toSeconds() + "s");
    } catch (ExecutionException e) {
      return new Result(false, server + ": " + rootMessage(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted while probing " + server);
    }
  }

  private static Result ask(Config config, String server) {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      var version = client.getKubernetesVersion();
      return new Result(true, server + " (Kubernetes " + version.getGitVersion() + ")");
    } catch (KubernetesClientException e) {
      // 401/403: a real API server that refuses us; run against it and let the error show there
      if (e.getCode() == 401 || e.getCode() == 403) {
        return new Result(true, server + " (answered HTTP " + e.getCode() + ")");
      }
      return new Result(false, server + ": " + rootMessage(e));
    } catch (RuntimeException e) {
      return new Result(false, server + ": " + rootMessage(e));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
