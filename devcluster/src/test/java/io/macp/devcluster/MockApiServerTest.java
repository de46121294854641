package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock API serves MacpIssuers the way the operator needs once the CRD is installed. */
class MockApiServerTest {
  private MockApiServer api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = MockApiServer.start();
    client = api.newClient();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static MacpIssuer issuer(String name) {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
    issuer.setSpec(new MacpIssuerSpec());
    return issuer;
  }

  @Test
  void listensOnLoopbackOnly() {
    assertThat(api.url()).startsWith("http://localhost:");
    assertThat(api.port()).isPositive();
  }

  @Test
  void servesMacpIssuerCrudWithTheStatusSubresource() {
    CrdInstaller.Loaded crd = CrdInstaller.install(client, Path.of(""));
    assertThat(crd.crd().getMetadata().getName()).isEqualTo("macpissuers.macp.io");
    var issuers = client.resources(MacpIssuer.class).inNamespace("ns");

    MacpIssuer sent = issuer("a");
    MacpIssuerStatus ignored = new MacpIssuerStatus();
    ignored.setActiveKid("from-create");
    sent.setStatus(ignored);
    MacpIssuer created = issuers.resource(sent).create();
    assertThat(created.getStatus()).as("status is dropped on create").isNull();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    MacpIssuerStatus status = new MacpIssuerStatus();
    status.setActiveKid("kid-1");
    created.setStatus(status);
    MacpIssuer withStatus = issuers.resource(created).updateStatus();
    assertThat(withStatus.getStatus().getActiveKid()).isEqualTo("kid-1");
    assertThat(withStatus.getMetadata().getGeneration()).as("status does not bump generation").isEqualTo(1L);

    MacpIssuer edited = issuers.withName("a").edit(i -> {
      i.getSpec().setAudience("other");
      i.setStatus(null);
      return i;
    });
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(edited.getStatus().getActiveKid()).as("a spec write keeps the status").isEqualTo("kid-1");

    assertThat(issuers.list().getItems()).extracting(i -> i.getMetadata().getName()).containsExactly("a");
    issuers.withName("a").delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> issuers.withName("a").get() == null);
  }

  @Test
  void watchesSeeMacpIssuerChanges() {
    CrdInstaller.install(client, Path.of(""));
    var issuers = client.resources(MacpIssuer.class).inNamespace("ns");
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch ignored = issuers.watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, MacpIssuer resource) {
        events.add(action + " " + resource.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      MacpIssuer created = issuers.resource(issuer("w")).create();
      MacpIssuerStatus status = new MacpIssuerStatus();
      status.setActiveKid("k");
      created.setStatus(status);
      issuers.resource(created).updateStatus();
      issuers.withName("w").delete();

      await().atMost(Duration.ofSeconds(5))
          .until(() -> events.containsAll(List.of("ADDED w", "MODIFIED w", "DELETED w")));
    }
  }

  /** A limit the operator is configured around: no server-side apply in the mock. */
  @Test
  void refusesServerSideApply() {
    CrdInstaller.install(client, Path.of(""));
    var issuers = client.resources(MacpIssuer.class).inNamespace("ns");
    issuers.resource(issuer("s")).create();
    MacpIssuer change = issuer("s");
    change.getSpec().setAudience("x");
    PatchContext ssa = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager("test").withForce(true).build();
    assertThatThrownBy(() -> issuers.withName("s").patch(ssa, change))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(415));
  }

  @Test
  void theModelFallbackCrdAlsoEnablesTheStatusSubresource() {
    client.apiextensions().v1().customResourceDefinitions().resource(CrdInstaller.fromModel()).create();
    var issuers = client.resources(MacpIssuer.class).inNamespace("ns");
    MacpIssuer created = issuers.resource(issuer("f")).create();
    MacpIssuerStatus status = new MacpIssuerStatus();
    status.setActiveKid("k");
    created.setStatus(status);
    issuers.resource(created).updateStatus();

    MacpIssuer edited = issuers.withName("f").edit(i -> {
      i.setStatus(null);
      return i;
    });
    assertThat(edited.getStatus().getActiveKid()).isEqualTo("k");
  }
}
