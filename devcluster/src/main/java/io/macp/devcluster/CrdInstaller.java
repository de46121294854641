package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresourcesBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the MacpIssuer CRD into an API server. The committed, generated CRD is the source of
 * truth: it is taken from {@code crds/} under the working directory (repo root) or its parent (a
 * module directory, as under Maven), else from the jar (the crd-generator plugin writes it into
 * the classes at build time). Only when none of those exists does it fall back to a minimal CRD
 * derived from the model class, with a warning.
 */
public final class CrdInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(CrdInstaller.class);
  public static final String CRD_FILE = "macpissuers.macp.io-v1.yml";
  /** Where the crd-generator plugin writes the CRD at build time, so it ships in the jar. */
  static final List<String> CLASSPATH_LOCATIONS = List.of("META-INF/fabric8/" + CRD_FILE);

  /** Where a CRD came from, for the startup log. */
  public record Loaded(CustomResourceDefinition crd, String source) {}

  private CrdInstaller() {}

  /** Creates (or replaces) the CRD; the mock server learns the resource from this request. */
  public static Loaded install(KubernetesClient client, Path workingDir) {
    Loaded loaded = load(workingDir);
    CustomResourceDefinition crd = loaded.crd();
    crd.getMetadata().setResourceVersion(null);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(op -> op.update());
    LOG.info("installed CRD {} from {}", crd.getMetadata().getName(), loaded.source());
    return loaded;
  }

  static Loaded load(Path workingDir) {
    for (Path candidate : List.of(workingDir.resolve("crds").resolve(CRD_FILE),
        workingDir.toAbsolutePath().normalize().resolveSibling("crds").resolve(CRD_FILE))) {
      if (Files.isRegularFile(candidate)) {
        try (InputStream in = Files.newInputStream(candidate)) {
          return new Loaded(parse(in, candidate.toString()), candidate.toString());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + candidate, e);
        }
      }
    }
    for (String resource : CLASSPATH_LOCATIONS) {
      Optional<InputStream> in =
          Optional.ofNullable(CrdInstaller.class.getClassLoader().getResourceAsStream(resource));
      if (in.isPresent()) {
        try (InputStream stream = in.get()) {
          return new Loaded(parse(stream, "classpath:" + resource), "classpath:" + resource);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read classpath:" + resource, e);
        }
      }
    }
    LOG.warn("CRD file crds/{} not found (working directory {}) nor in the jar: using a minimal CRD "
        + "derived from the model, without schema", CRD_FILE, workingDir.toAbsolutePath());
    return new Loaded(fromModel(), "the MacpIssuer model class");
  }

  private static CustomResourceDefinition parse(InputStream in, String source) {
    CustomResourceDefinition crd;
    try {
      crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(source + " is not a CustomResourceDefinition: " + e.getMessage(), e);
    }
    if (crd == null || crd.getSpec() == null || !MacpIssuer.GROUP.equals(crd.getSpec().getGroup())) {
      throw new IllegalArgumentException(source + " is not the " + MacpIssuer.GROUP + " MacpIssuer CRD");
    }
    return crd;
  }

  /** Names, scope, version and the status subresource: all the mock server needs. */
  static CustomResourceDefinition fromModel() {
    CustomResourceDefinition crd =
        CustomResourceDefinitionContext.v1CRDFromCustomResourceType(MacpIssuer.class).build();
    return new CustomResourceDefinitionBuilder(crd)
        .editSpec()
        .editFirstVersion()
        .withSubresources(new CustomResourceSubresourcesBuilder().withNewStatus().endStatus().build())
        .endVersion()
        .endSpec()
        .build();
  }
}
