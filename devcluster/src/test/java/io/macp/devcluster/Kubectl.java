package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl binary, run against one kubeconfig with its own discovery cache (nothing in the
 * user's ~/.kube is read or written) and a bounded time per command.
 */
final class Kubectl {
  /** Where CI installs it; PATH is searched too. */
  static final Path USUAL = Path.of("/usr/bin/kubectl");

  record Result(int exitCode, String out, String err) {
    Result ok() {
      assertThat(exitCode).as("kubectl exit code; stderr: %s; stdout: %s", err, out).isZero();
      return this;
    }
  }

  private final Path binary;
  private final Path kubeconfig;
  private final Path cacheDir;

  Kubectl(Path binary, Path kubeconfig, Path cacheDir) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.cacheDir = cacheDir;
  }

  /** The kubectl binary, or null: a test that needs it must fail on null, not skip. */
  static Path find() {
    if (Files.isExecutable(USUAL)) {
      return USUAL;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, "kubectl");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  Result run(Duration timeout, String... args) throws IOException, InterruptedException {
    Process p = start(args);
    Path out = Files.createTempFile(cacheDir, "out", ".txt");
    Path err = Files.createTempFile(cacheDir, "err", ".txt");
    // drain to files so a chatty command never blocks on a full pipe
    Thread o = drain(p.getInputStream(), out);
    Thread e = drain(p.getErrorStream(), err);
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      o.join(2000);
      e.join(2000);
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within "
          + timeout.toSeconds() + "s; stdout: " + Files.readString(out) + " stderr: " + Files.readString(err));
    }
    o.join(5000);
    e.join(5000);
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Starts kubectl without waiting (e.g. {@code get -w}); the caller destroys it. */
  Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.add("--cache-dir=" + cacheDir.resolve("cache"));
    command.add("--request-timeout=20s");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("HOME", cacheDir.toString());
    pb.environment().remove("HTTPS_PROXY");
    pb.environment().remove("HTTP_PROXY");
    pb.environment().remove("https_proxy");
    pb.environment().remove("http_proxy");
    return pb.start();
  }

  private static Thread drain(java.io.InputStream in, Path to) {
    Thread t = new Thread(() -> {
      try (in) {
        Files.write(to, in.readAllBytes());
      } catch (IOException ignored) {
        // the process was killed
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
