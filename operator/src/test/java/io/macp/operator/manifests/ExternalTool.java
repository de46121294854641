package io.macp.operator.manifests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real command-line tool a test runs (kubectl, promtool). A missing tool fails the test with
 * how to install it, never skips it: .ci/run installs promtool, kubectl is expected on the PATH.
 */
record ExternalTool(String name, String installHint) {
  static final ExternalTool KUBECTL = new ExternalTool("kubectl",
      "install kubectl (https://kubernetes.io/docs/tasks/tools/)");
  static final ExternalTool PROMTOOL = new ExternalTool("promtool",
      "Debian/Ubuntu: apt-get install -y prometheus (.ci/run does this when it is missing)");

  /** What one run printed and how it ended. */
  record Result(int exitCode, String output) {}

  Path binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(name + " is not on the PATH; " + installHint);
  }

  /** Runs the tool with stdout and stderr merged; at most 60 s. */
  Result run(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }
}
