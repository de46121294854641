package io.macp.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed CRD is exactly what the crd-generator makes from the model today. */
class CrdGoldenFileTest {
  static final String REGENERATE =
      "./mvnw -q -pl operator process-classes && cp"
          + " operator/target/classes/META-INF/fabric8/" + ProjectFiles.CRD_FILE_NAME + " crds/";

  @Test
  void committedCrdEqualsFreshlyGeneratedOne(@TempDir Path out) throws IOException {
    int generated =
        new CRDGenerator()
            .customResourceClasses(MacpIssuer.class)
            .forCRDVersions("v1")
            .inOutputDir(out.toFile())
            .generate();
    assertThat(generated).isEqualTo(1);

    String fresh = Files.readString(out.resolve(ProjectFiles.CRD_FILE_NAME));
    String committed = Files.readString(ProjectFiles.committedCrd());
    assertThat(committed)
        .as("crds/%s differs from the CRD generated from the model; review the change and"
                + " regenerate it from the repository root with:%n  %s",
            ProjectFiles.CRD_FILE_NAME, REGENERATE)
        .isEqualTo(fresh);
  }
}
