package io.macp.devcluster.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.macp.devcluster.CrdInstaller;
import io.macp.devcluster.MockApiServer;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes from a fabric8 client (as the operator, the CLI and tests make them) are admitted by the
 * embedded API server as by a real one. Before, each bad object here was stored as sent.
 */
class AdmittingCrudDispatcherTest {
  private static final ResourceDefinitionContext ISSUERS = new ResourceDefinitionContext.Builder()
      .withGroup("macp.io").withVersion("v1alpha1").withKind("MacpIssuer").withPlural("macpissuers")
      .withNamespaced(true).build();

  private MockApiServer api;
  private KubernetesClient client;
  private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> issuers;

  @BeforeEach
  void start() {
    api = MockApiServer.start();
    client = api.newClient();
    CrdInstaller.install(client, Path.of(""));
    issuers = client.genericKubernetesResources(ISSUERS);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static GenericKubernetesResource issuer(String name, String specJson) {
    return Serialization.unmarshal("{\"apiVersion\":\"macp.io/v1alpha1\",\"kind\":\"MacpIssuer\","
        + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns\"},\"spec\":" + specJson + "}",
        GenericKubernetesResource.class);
  }

  private KubernetesClientException refused(Runnable write) {
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, write::run);
    assertThat(e).as("the write is refused").isNotNull();
    return e;
  }

  /** The issue's input: a wrong type, which used to wedge the operator's informer. */
  @Test
  void aWrongTypeIsRefusedWith422AndNothingIsStored() {
    KubernetesClientException e = refused(() ->
        issuers.inNamespace("ns").resource(issuer("two", "{\"replicas\":\"two\"}")).create());
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
    assertThat(e.getStatus().getMessage()).isEqualTo("MacpIssuer.macp.io \"two\" is invalid: "
        + "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: "
        + "\"string\"");
    assertThat(e.getStatus().getDetails().getName()).isEqualTo("two");
    assertThat(e.getStatus().getDetails().getKind()).isEqualTo("MacpIssuer");
    assertThat(e.getStatus().getDetails().getGroup()).isEqualTo("macp.io");
    assertThat(e.getStatus().getDetails().getCauses()).extracting(StatusCause::getField)
        .containsExactly("spec.replicas");
    assertThat(issuers.inNamespace("ns").withName("two").get()).isNull();
    // and the typed client, as the operator reads issuers, still lists them all
    assertThat(client.resources(MacpIssuer.class).inAnyNamespace().list().getItems()).isEmpty();
  }

  @Test
  void aCelRuleViolationIsRefused() {
    KubernetesClientException e = refused(() -> issuers.inNamespace("ns").resource(issuer("many",
        "{\"tokens\":{\"maxTtl\":\"720h\"},\"rotation\":{\"period\":\"1h8m\"}}")).create());
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getStatus().getDetails().getCauses()).singleElement().satisfies(c -> {
      assertThat(c.getField()).isEqualTo("spec");
      assertThat(c.getMessage()).startsWith("Invalid value: \"object\":").contains("more than 10 keys");
    });
    assertThat(issuers.inNamespace("ns").withName("many").get()).isNull();
  }

  @Test
  void everyCauseIsReported() {
    KubernetesClientException e = refused(() -> issuers.inNamespace("ns").resource(
        issuer("both", "{\"replicas\":0,\"service\":{\"port\":70000}}")).create());
    assertThat(e.getStatus().getMessage()).startsWith("MacpIssuer.macp.io \"both\" is invalid: [");
    assertThat(e.getStatus().getDetails().getCauses()).extracting(StatusCause::getField)
        .containsExactlyInAnyOrder("spec.replicas", "spec.service.port");
  }

  /** A client that does not ask for strict field validation gets unknown fields pruned. */
  @Test
  void anAcceptedObjectIsStoredPrunedAndDefaulted() {
    GenericKubernetesResource created = issuers.inNamespace("ns")
        .resource(issuer("ok", "{\"replicas\":3,\"colour\":\"blue\",\"rotation\":{\"perod\":\"48h\"}}"))
        .create();
    for (GenericKubernetesResource seen : new GenericKubernetesResource[] {
        created, issuers.inNamespace("ns").withName("ok").get()}) {
      Map<String, Object> spec = seen.get("spec");
      assertThat(spec).doesNotContainKey("colour").containsEntry("replicas", 3)
          .containsEntry("audience", "macp-runtime");
      assertThat((Map<String, Object>) seen.get("spec", "rotation"))
          .doesNotContainKey("perod").containsEntry("period", "24h");
    }
    assertThat(client.resources(MacpIssuer.class).inNamespace("ns").withName("ok").get()
        .getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void aPatchIsAdmittedOnTheMergedObject() {
    GenericKubernetesResource created =
        issuers.inNamespace("ns").resource(issuer("patched", "{}")).create();
    String version = created.getMetadata().getResourceVersion();
    KubernetesClientException e = refused(() -> issuers.inNamespace("ns").withName("patched")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":\"two\"}}"));
    assertThat(e.getCode()).isEqualTo(422);
    e = refused(() -> issuers.inNamespace("ns").withName("patched").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/service/publicPort\",\"value\":3200}]"));
    assertThat(e.getStatus().getMessage()).contains("publicPort must differ from port");
    GenericKubernetesResource stored = issuers.inNamespace("ns").withName("patched").get();
    assertThat(stored.getMetadata().getResourceVersion()).as("nothing changed").isEqualTo(version);
    assertThat((Object) stored.get("spec", "replicas")).isEqualTo(2);

    issuers.inNamespace("ns").withName("patched")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":4}}");
    assertThat((Object) issuers.inNamespace("ns").withName("patched").get().get("spec", "replicas"))
        .isEqualTo(4);
  }

  @Test
  void anUpdateIsAdmitted() {
    GenericKubernetesResource created =
        issuers.inNamespace("ns").resource(issuer("updated", "{}")).create();
    created.setAdditionalProperty("spec", Map.of("signing", Map.of("algorithm", "RS512")));
    KubernetesClientException e =
        refused(() -> issuers.inNamespace("ns").resource(created).update());
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getStatus().getDetails().getCauses()).extracting(StatusCause::getField)
        .containsExactly("spec.signing.algorithm");
  }

  /** The status subresource is checked against the status schema; the spec is not looked at. */
  @Test
  void aStatusWriteIsCheckedAgainstTheStatusSchema() {
    GenericKubernetesResource created =
        issuers.inNamespace("ns").resource(issuer("status", "{}")).create();
    created.setAdditionalProperty("status", Map.of("activeKid", 5));
    KubernetesClientException e =
        refused(() -> issuers.inNamespace("ns").resource(created).updateStatus());
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getStatus().getDetails().getCauses()).extracting(StatusCause::getField)
        .containsExactly("status.activeKid");

    created.setAdditionalProperty("status", Map.of("activeKid", "kid-1", "mood", "fine"));
    GenericKubernetesResource written = issuers.inNamespace("ns").resource(created).updateStatus();
    assertThat((Map<String, Object>) written.get("status")).containsEntry("activeKid", "kid-1")
        .doesNotContainKey("mood");
  }

  @Test
  void fieldValidationIsReadFromTheRequest() {
    assertThat(AdmittingCrudDispatcher.fieldValidation("/apis/macp.io/v1alpha1/macpissuers"))
        .contains(AdmittingCrudDispatcher.FieldValidation.WARN);
    assertThat(AdmittingCrudDispatcher.fieldValidation("/x?fieldManager=kubectl&fieldValidation=Strict"))
        .contains(AdmittingCrudDispatcher.FieldValidation.STRICT);
    assertThat(AdmittingCrudDispatcher.fieldValidation("/x?fieldValidation=Ignore"))
        .contains(AdmittingCrudDispatcher.FieldValidation.IGNORE);
    assertThat(AdmittingCrudDispatcher.fieldValidation("/x?fieldValidation=Lenient")).isEmpty();
  }

  /** A CRD without a schema (CrdInstaller's last resort) admits anything, as a real server would. */
  @Test
  void aCrdWithoutSchemaChecksNothing() {
    client.apiextensions().v1().customResourceDefinitions().withName("macpissuers.macp.io").delete();
    client.apiextensions().v1().customResourceDefinitions()
        .resource(CustomResourceDefinitionContext.v1CRDFromCustomResourceType(MacpIssuer.class).build())
        .create();
    issuers.inNamespace("ns").resource(issuer("free", "{\"replicas\":\"two\"}")).create();
    assertThat((Object) issuers.inNamespace("ns").withName("free").get().get("spec", "replicas"))
        .isEqualTo("two");
  }
}
