package io.macp.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's committed files (crds/, examples/, deploy/) as tests read them. */
public final class ProjectFiles {
  public static final String CRD_FILE_NAME = "macpissuers.macp.io-v1.yml";
  private static final YAMLMapper YAML = new YAMLMapper();

  private ProjectFiles() {}

  /** The repository root: surefire runs in operator/, an IDE may run anywhere below the root. */
  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("crds")) && Files.isRegularFile(d.resolve("pom.xml"))) {
        return d;
      }
    }
    throw new IllegalStateException("no repository root with crds/ above " + dir);
  }

  public static Path committedCrd() {
    return root().resolve("crds").resolve(CRD_FILE_NAME);
  }

  public static Path examples() {
    return root().resolve("examples");
  }

  public static Path deploy() {
    return root().resolve("deploy");
  }

  /** Every non-empty YAML document of a file, in order. */
  public static List<JsonNode> yamlDocuments(Path file) {
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      List<JsonNode> result = new ArrayList<>();
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isMissingNode() && !doc.isNull() && !doc.isEmpty()) {
          result.add(doc);
        }
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public static JsonNode yamlDocument(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode crd() {
    List<JsonNode> docs = yamlDocuments(committedCrd());
    if (docs.size() != 1) {
      throw new IllegalStateException(committedCrd() + " must hold exactly one document");
    }
    return docs.get(0);
  }

  /** The openAPIV3Schema of the CRD's only version. */
  public static JsonNode crdSchema(JsonNode crd) {
    return crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema");
  }
}
