package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrdInstallerTest {
  @TempDir Path dir;

  @Test
  void theCommittedCrdUnderTheWorkingDirectoryWins() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path crds = Files.createDirectories(repo.resolve("crds"));
    Files.copy(Path.of("..", "crds", CrdInstaller.CRD_FILE), crds.resolve(CrdInstaller.CRD_FILE));

    assertThat(CrdInstaller.load(repo).source()).isEqualTo(crds.resolve(CrdInstaller.CRD_FILE).toString());
    // From a module directory (as under Maven) the repo root's crds/ is found too.
    Path module = Files.createDirectories(repo.resolve("operator"));
    CrdInstaller.Loaded fromModule = CrdInstaller.load(module);
    assertThat(Path.of(fromModule.source()).normalize()).isEqualTo(crds.resolve(CrdInstaller.CRD_FILE));
    assertThat(fromModule.crd().getSpec().getNames().getPlural()).isEqualTo("macpissuers");
    assertThat(fromModule.crd().getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
  }

  @Test
  void withoutAFileTheCrdComesFromTheJar() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("a").resolve("b"));
    assertThat(CrdInstaller.load(empty).source()).isEqualTo("classpath:META-INF/fabric8/" + CrdInstaller.CRD_FILE);
  }

  @Test
  void aFileThatIsNotTheMacpIssuerCrdIsRefused() throws Exception {
    Path crds = Files.createDirectories(dir.resolve("crds"));
    Files.writeString(crds.resolve(CrdInstaller.CRD_FILE), """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: others.example.com}
        spec: {group: example.com}
        """);
    assertThatThrownBy(() -> CrdInstaller.load(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not the macp.io MacpIssuer CRD");
  }
}
