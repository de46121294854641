package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.macp.devcluster.api.Kubeconfig;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock kubectl binary against the embedded cluster, through the kubeconfig the embedded run
 * writes: the admin's first hour, in order, mistakes included. Fails (never skips) when kubectl is
 * not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlAgainstEmbeddedClusterTest {
  private static final Duration COMMAND = Duration.ofSeconds(60);
  private static final String NAME = "fast-rotation";

  @TempDir static Path dir;
  private EmbeddedCluster cluster;
  private Kubectl kubectl;
  private Path kubeconfig;

  @BeforeAll
  void start() throws Exception {
    Path binary = Kubectl.find();
    assertThat(binary).as("kubectl must be installed (CI installs kubernetes-client)").isNotNull();
    cluster = EmbeddedCluster.builder()
        .workingDir(ProjectFiles.root())
        .seed(7)
        .issuers(new FileServingLauncher())
        .start();
    kubeconfig = cluster.writeKubeconfig(dir);
    kubectl = new Kubectl(binary, kubeconfig, Files.createDirectories(dir.resolve("home")));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private MacpIssuer issuer() {
    return cluster.client().resources(MacpIssuer.class).inNamespace("default").withName(NAME).get();
  }

  @Test
  @Order(1)
  void kubeconfigIsPrivateAndNamesOnlyTheEmbeddedCluster() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(kubeconfig))
        .contains("server: " + cluster.kubectlUrl())
        .contains("current-context: " + Kubeconfig.CONTEXT)
        .contains("http://127.0.0.1:");
    assertThat(kubectl.run(COMMAND, "config", "current-context").ok().out().trim())
        .isEqualTo(Kubeconfig.CONTEXT);
  }

  @Test
  @Order(2)
  void applyCreatesAndWaitSeesReady() throws Exception {
    Path example = ProjectFiles.examples().resolve("fast-rotation.yaml");
    assertThat(kubectl.run(COMMAND, "apply", "-f", example.toString()).ok().out())
        .contains("macpissuer.macp.io/" + NAME + " created");
    assertThat(kubectl.run(Duration.ofSeconds(90), "wait", "--for=condition=Ready", "mi/" + NAME,
        "--timeout=80s").ok().out()).contains("condition met");
    assertThat(kubectl.run(COMMAND, "apply", "-f", example.toString()).ok().out())
        .contains("macpissuer.macp.io/" + NAME + " unchanged");
  }

  @Test
  @Order(3)
  void getShowsTheCrdPrinterColumns() throws Exception {
    String out = kubectl.run(COMMAND, "get", "mi").ok().out();
    String[] lines = out.strip().split("\n");
    assertThat(lines[0]).startsWith("NAME").contains("AGE", "ACTIVE KID", "READY", "NEXT ROTATION");
    MacpIssuer issuer = issuer();
    assertThat(lines[1]).startsWith(NAME).contains("True").contains(issuer.getStatus().getActiveKid());
    assertThat(kubectl.run(COMMAND, "get", "macpissuers.macp.io", NAME, "-o", "yaml").ok().out())
        .contains("kind: MacpIssuer", "activeKid: " + issuer.getStatus().getActiveKid(), "verifierCacheTtl: 5s");
  }

  @Test
  @Order(4)
  void describeShowsSpecAndStatus() throws Exception {
    assertThat(kubectl.run(COMMAND, "describe", "mi", NAME).ok().out())
        .contains("Name:", NAME, "API Version:  macp.io/v1alpha1", "Kind:         MacpIssuer",
            "Rotation:", "Active Kid:", "Conditions:");
  }

  @Test
  @Order(5)
  void applyOfAChangedManifestPatchesTheIssuer() throws Exception {
    String changed = Files.readString(ProjectFiles.examples().resolve("fast-rotation.yaml"))
        .replace("defaultTtl: 10s", "defaultTtl: 15s");
    Path file = dir.resolve("changed.yaml");
    Files.writeString(file, changed);
    assertThat(kubectl.run(COMMAND, "apply", "-f", file.toString()).ok().out())
        .contains("macpissuer.macp.io/" + NAME + " configured");
    assertThat(issuer().getSpec().getTokens().getDefaultTtl()).isEqualTo("15s");
  }

  @Test
  @Order(6)
  void annotateSetsTheRequestAnnotation() throws Exception {
    assertThat(kubectl.run(COMMAND, "annotate", "mi", NAME, "macp.io/rotate=kubectl-1").ok().out())
        .contains("macpissuer.macp.io/" + NAME + " annotated");
    assertThat(issuer().getMetadata().getAnnotations()).containsEntry("macp.io/rotate", "kubectl-1");
    // a built-in kind: kubectl sends a strategic merge patch, applied as a merge patch
    assertThat(kubectl.run(COMMAND, "annotate", "configmap", NAME + "-jwks", "team=platform").ok().out())
        .contains("configmap/" + NAME + "-jwks annotated");
    assertThat(cluster.client().configMaps().inNamespace("default").withName(NAME + "-jwks").get()
        .getMetadata().getAnnotations()).containsEntry("team", "platform");
  }

  @Test
  @Order(7)
  void getsTheObjectsTheOperatorWrote() throws Exception {
    String out = kubectl.run(COMMAND, "get", "secrets,configmaps,deployments,events").ok().out();
    assertThat(out).contains("secret/" + NAME + "-keys", "configmap/" + NAME + "-jwks",
        "deployment.apps/" + NAME, "DATA", "READY");
  }

  @Test
  @Order(8)
  void explainReadsTheCrdSchema() throws Exception {
    assertThat(kubectl.run(COMMAND, "explain", "macpissuer.spec.rotation").ok().out())
        .contains("KIND:", "MacpIssuer", "FIELD: rotation", "period", "verifierCacheTtl");
  }

  @Test
  @Order(9)
  void watchPrintsEveryChange() throws Exception {
    Process watch = kubectl.start("get", "mi", "-w");
    StringBuffer seen = new StringBuffer();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          seen.append(line).append('\n');
        }
      } catch (Exception ignored) {
        // destroyed
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.toString().contains(NAME));
      int before = rows(seen.toString());
      cluster.client().resources(MacpIssuer.class).inNamespace("default").withName(NAME)
          .edit(i -> {
            i.getMetadata().setAnnotations(Map.of("macp.io/rotate", "watch-1"));
            return i;
          });
      await().atMost(Duration.ofSeconds(30)).until(() -> rows(seen.toString()) > before);
      assertThat(seen.toString().split("\n")[0]).contains("ACTIVE KID", "NEXT ROTATION");
    } finally {
      watch.destroy();
      watch.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private Path manifest(String name, String specYaml) throws Exception {
    return Files.writeString(dir.resolve(name + ".yaml"), "apiVersion: macp.io/v1alpha1\n"
        + "kind: MacpIssuer\nmetadata:\n  name: " + name + "\nspec:\n" + specYaml.indent(2));
  }

  private void assertNotStored(String name) throws Exception {
    assertThat(kubectl.run(COMMAND, "get", "mi", name).err()).contains("\"" + name + "\" not found");
    assertThat(cluster.client().resources(MacpIssuer.class).inNamespace("default").withName(name).get())
        .isNull();
  }

  /**
   * The new user's input: a wrong type used to be stored as sent, and then stopped the operator's
   * informer (no issuer reconciled any more). Now refused as by a real API server.
   */
  @Test
  @Order(12)
  void applyOfAWrongTypeIsRefusedAndStoresNothing() throws Exception {
    Kubectl.Result result = kubectl.run(COMMAND, "apply", "-f",
        manifest("bad-replicas", "replicas: two").toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("\"bad-replicas\" is invalid: spec.replicas: Invalid value: "
        + "\"string\": spec.replicas in body must be of type integer: \"string\"");
    assertNotStored("bad-replicas");
  }

  @Test
  @Order(13)
  void applyBreakingACelRuleIsRefused() throws Exception {
    Kubectl.Result result = kubectl.run(COMMAND, "apply", "-f",
        manifest("too-many-keys", "tokens: {maxTtl: 720h}\nrotation: {period: 1h8m}").toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("\"too-many-keys\" is invalid: spec: Invalid value: \"object\": "
        + "the key set would hold more than 10 keys");
    assertNotStored("too-many-keys");
  }

  /** kubectl asks for strict field validation unless told otherwise, as with a real server. */
  @Test
  @Order(14)
  void anUnknownFieldIsRefusedUnderStrictAndPrunedUnderWarn() throws Exception {
    Path file = manifest("colourful", "colour: blue\nreplicas: 1");
    Kubectl.Result strict = kubectl.run(COMMAND, "apply", "-f", file.toString());
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.err()).contains("strict decoding error: unknown field \"spec.colour\"");
    assertNotStored("colourful");

    Kubectl.Result warn = kubectl.run(COMMAND, "apply", "--validate=warn", "-f", file.toString()).ok();
    assertThat(warn.out()).contains("macpissuer.macp.io/colourful created");
    assertThat(warn.err()).contains("unknown field \"spec.colour\"");
    String stored = kubectl.run(COMMAND, "get", "mi", "colourful", "-o", "json").ok().out();
    assertThat(stored).doesNotContain("colour\"").contains("\"replicas\": 1", "\"audience\": \"macp-runtime\"");
  }

  /** After the refused writes the operator still sees, and reconciles, a good issuer. */
  @Test
  @Order(15)
  void theOperatorReconcilesAGoodIssuerAppliedAfterBadOnes() throws Exception {
    Path example = ProjectFiles.examples().resolve("quickstart.yaml");
    assertThat(kubectl.run(COMMAND, "apply", "-f", example.toString()).ok().out())
        .contains("macpissuer.macp.io/quickstart created");
    assertThat(kubectl.run(Duration.ofSeconds(90), "wait", "--for=condition=Ready", "mi/quickstart",
        "--timeout=80s").ok().out()).contains("condition met");
  }

  private static int rows(String out) {
    return (int) out.lines().filter(l -> l.startsWith(NAME)).count();
  }

  @Test
  @Order(10)
  void whatTheMockCannotDoFailsWithAClearMessage() throws Exception {
    Path example = ProjectFiles.examples().resolve("fast-rotation.yaml");
    Kubectl.Result ssa = kubectl.run(COMMAND, "apply", "--server-side", "-f", example.toString());
    assertThat(ssa.exitCode()).isNotZero();
    assertThat(ssa.err()).contains("server-side apply", "not supported");
    Kubectl.Result dryRun = kubectl.run(COMMAND, "apply", "--dry-run=server", "-f", example.toString());
    assertThat(dryRun.exitCode()).isNotZero();
    assertThat(dryRun.err()).contains("server-side dry run");
  }

  @Test
  @Order(11)
  void deleteRemovesTheIssuer() throws Exception {
    assertThat(kubectl.run(COMMAND, "delete", "mi", NAME).ok().out())
        .contains("macpissuer.macp.io \"" + NAME + "\" deleted");
    assertThat(issuer()).isNull();
    assertThat(kubectl.run(COMMAND, "get", "mi").ok().err()).contains("No resources found");
  }
}
