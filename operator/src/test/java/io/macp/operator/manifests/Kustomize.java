package io.macp.operator.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the real {@code kubectl kustomize}, exactly what {@code kubectl
 * apply -k} would send. The binary is {@code kubectl} on the PATH, or the system property
 * {@code macp.kubectl}. A missing kubectl fails the test: it is never skipped.
 */
final class Kustomize {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Kustomize() {}

  static List<JsonNode> render(Path dir) {
    String kubectl = System.getProperty("macp.kubectl", "kubectl");
    try {
      Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString())
          .redirectError(ProcessBuilder.Redirect.PIPE)
          .start();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + dir + " failed: "
            + new String(err, StandardCharsets.UTF_8));
      }
      List<JsonNode> docs = new ArrayList<>();
      try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
        while (it.hasNext()) {
          JsonNode doc = it.next();
          if (doc != null && !doc.isNull() && !doc.isEmpty()) {
            docs.add(doc);
          }
        }
      }
      return docs;
    } catch (IOException e) {
      throw new AssertionError("cannot run '" + kubectl + " kustomize' (install kubectl, or set"
          + " -Dmacp.kubectl=<path>): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
