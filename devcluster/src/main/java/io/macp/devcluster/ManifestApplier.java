package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kubectl apply} for the embedded API server: reads every manifest first (so a bad file
 * changes nothing), then creates or updates each object, creating its namespace when missing.
 * There is no server-side apply in the mock, so an existing object is replaced by the manifest.
 */
public final class ManifestApplier {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestApplier.class);
  public static final String DEFAULT_NAMESPACE = "default";

  /** One object of one manifest, with where it came from for messages. */
  public record ManifestObject(HasMetadata object, String source) {}

  private final KubernetesClient client;

  public ManifestApplier(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Reads and validates all files.
   *
   * @throws IllegalArgumentException naming the file and the problem; nothing is applied then
   */
  public List<ManifestObject> read(List<Path> files) {
    List<ManifestObject> objects = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("manifest " + file + " does not exist or is not a file");
      }
      try (InputStream in = Files.newInputStream(file)) {
        objects.addAll(parse(in, file.toString()));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read manifest " + file + ": " + e.getMessage(), e);
      }
    }
    return objects;
  }

  /** Parses YAML or JSON text (several documents allowed). */
  public List<ManifestObject> parse(String yaml, String source) {
    return parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), source);
  }

  private List<ManifestObject> parse(InputStream in, String source) {
    List<HasMetadata> items;
    try {
      items = client.load(in).items();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "manifest " + source + " is not valid Kubernetes YAML: " + rootMessage(e), e);
    }
    List<ManifestObject> objects = new ArrayList<>();
    for (HasMetadata item : items) {
      if (item == null) {
        continue;
      }
      if (item.getKind() == null || item.getApiVersion() == null) {
        throw new IllegalArgumentException("manifest " + source + ": an object has no kind or apiVersion");
      }
      if (item.getMetadata() == null || item.getMetadata().getName() == null
          || item.getMetadata().getName().isBlank()) {
        throw new IllegalArgumentException(
            "manifest " + source + ": a " + item.getKind() + " has no metadata.name");
      }
      objects.add(new ManifestObject(item, source));
    }
    if (objects.isEmpty()) {
      throw new IllegalArgumentException("manifest " + source + " holds no Kubernetes object");
    }
    return objects;
  }

  /** Creates or replaces each object in order; namespaced objects without one go to "default". */
  public List<HasMetadata> apply(List<ManifestObject> objects) {
    List<HasMetadata> applied = new ArrayList<>();
    for (ManifestObject mo : objects) {
      HasMetadata item = mo.object();
      boolean namespaced = isNamespaced(item);
      if (namespaced) {
        if (item.getMetadata().getNamespace() == null || item.getMetadata().getNamespace().isBlank()) {
          item.getMetadata().setNamespace(DEFAULT_NAMESPACE);
        }
        ensureNamespace(item.getMetadata().getNamespace());
      }
      if (item instanceof Namespace) {
        ensureNamespace(item.getMetadata().getName());
        continue;
      }
      item.getMetadata().setResourceVersion(null);
      HasMetadata result = client.resource(item).createOr(NonDeletingOperation::update);
      LOG.info("applied {} {}{} from {}", item.getKind(),
          namespaced ? item.getMetadata().getNamespace() + "/" : "", item.getMetadata().getName(), mo.source());
      applied.add(result);
    }
    return applied;
  }

  private boolean isNamespaced(HasMetadata item) {
    if (item instanceof Namespaced) {
      return true;
    }
    if (!(item instanceof GenericKubernetesResource)) {
      return false; // a typed built-in kind that is not Namespaced: cluster-scoped
    }
    try {
      APIResourceList resources = client.getApiResources(item.getApiVersion());
      if (resources != null) {
        for (APIResource r : resources.getResources()) {
          if (item.getKind().equals(r.getKind())) {
            return Boolean.TRUE.equals(r.getNamespaced());
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot discover {}: {}", item.getApiVersion(), e.toString());
    }
    return true; // unknown to discovery: most application objects are namespaced
  }

  private void ensureNamespace(String name) {
    if (client.namespaces().withName(name).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .createOr(NonDeletingOperation::update);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
