package io.macp.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.macp.keyset.KeyGenerator;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetPlanner;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.RotationRequests;
import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import io.macp.operator.reconciler.Availability;
import io.macp.operator.reconciler.IssuerStatusBuilder;
import io.macp.operator.reconciler.KeysState;
import io.macp.operator.reconciler.MintState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check (deploy/gitops/argocd-health-macpissuer.lua) run by a Lua interpreter
 * (LuaJ; Argo CD itself uses gopher-lua, both Lua 5.1-compatible for this script) against a status
 * captured from the embedded cluster and statuses made by {@link IssuerStatusBuilder}, the code
 * that writes them. Argo CD passes the object as the global {@code obj}.
 */
class ArgoHealthCheckTest {
  private static final Path LUA = ProjectFiles.deploy().resolve("gitops/argocd-health-macpissuer.lua");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-30T04:35:30Z");

  @Test
  void aReadyIssuerFromTheEmbeddedClusterIsHealthy() throws IOException {
    ObjectNode issuer = captured();
    assertThat(health(issuer)).containsEntry("status", "Healthy")
        .containsEntry("message", "Ready: keys are ready and the issuer serves");
  }

  @Test
  void aSpecNotYetObservedIsProgressing() throws IOException {
    ObjectNode issuer = captured();
    ((ObjectNode) issuer.path("metadata")).put("generation", 2);
    assertThat(health(issuer)).containsEntry("status", "Progressing")
        .containsEntry("message", "the operator has not yet observed generation 2");
  }

  @Test
  void noStatusYetIsProgressing() throws IOException {
    ObjectNode issuer = captured();
    issuer.remove("status");
    assertThat(health(issuer)).containsEntry("status", "Progressing");
  }

  @Test
  void whatAPersonMustFixIsDegraded() throws IOException {
    assertThat(health(withStatus(build(List.of("rotation.period must be at least the lead time"),
        KeysState.untouched(), Availability.NO_DEPLOYMENT, null))))
        .containsEntry("status", "Degraded")
        .hasEntrySatisfying("message", m -> assertThat(m).contains("rotation.period"));
    assertThat(health(withStatus(build(List.of(),
        KeysState.problem("KeySetCorrupt", "key Secret a-keys is not a usable key set"),
        new Availability(true, 2, 2), null))))
        .containsEntry("status", "Degraded")
        .containsEntry("message", "KeySetCorrupt: key Secret a-keys is not a usable key set");
    assertThat(health(withStatus(build(List.of(), KeysState.ready(keys()), new Availability(true, 2, 2),
        new MintState(false, MintState.REASON_SECRET_UNUSABLE, "Secret tokens is missing", true)))))
        .containsEntry("status", "Degraded");
    MacpIssuerStatus ready = build(List.of(), KeysState.ready(keys()), new Availability(true, 2, 2), null);
    assertThat(health(withStatus(IssuerStatusBuilder.failed(ready, 1L,
        "the last reconcile failed (the API server answered 403); it is retried", NOW))))
        .containsEntry("status", "Degraded");
  }

  @Test
  void replicasStillStartingIsProgressingAndReadyIsHealthy() throws IOException {
    assertThat(health(withStatus(build(List.of(), KeysState.ready(keys()),
        Availability.NO_DEPLOYMENT, null))))
        .containsEntry("status", "Progressing")
        .hasEntrySatisfying("message", m -> assertThat(m).startsWith("DeploymentNotFound"));
    assertThat(health(withStatus(build(List.of(), KeysState.ready(keys()),
        new Availability(true, 2, 0), null))))
        .containsEntry("status", "Progressing");
    assertThat(health(withStatus(build(List.of(), KeysState.ready(keys()),
        new Availability(true, 2, 2), new MintState(false, MintState.REASON_AUTHENTICATION_NONE,
            "authentication None", false)))))
        .containsEntry("status", "Healthy");
  }

  @Test
  void theArgoCdConfigMapCarriesTheSameScript() throws IOException {
    JsonNode cm = ProjectFiles.yamlDocuments(ProjectFiles.deploy().resolve("gitops/argocd-cm-health.yaml")).get(0);
    assertThat(cm.path("data").path("resource.customizations.health.macp.io_MacpIssuer").asText())
        .isEqualTo(Files.readString(LUA));
  }

  private static MacpIssuerStatus build(List<String> problems, KeysState keys,
      Availability availability, MintState mint) {
    return IssuerStatusBuilder.build(new IssuerStatusBuilder.Input(1L, null, problems, keys,
        availability, null, null, null, null, NOW, mint));
  }

  private static KeySet keys() {
    return new KeySetPlanner(KeyGenerator.secure()).plan(KeySet.empty(), RotationPolicy.DEFAULTS,
        KeySpec.es256(), NOW, RotationRequests.NONE).desired();
  }

  private static ObjectNode captured() throws IOException {
    return (ObjectNode) JSON.readTree(Path.of("src/test/resources/gitops/embedded-quickstart-ready.json").toFile());
  }

  private static ObjectNode withStatus(MacpIssuerStatus status) throws IOException {
    ObjectNode issuer = captured();
    issuer.set("status", JSON.readTree(Serialization.asJson(status)));
    return issuer;
  }

  /** hs.status and hs.message as the script returned them. */
  private static Map<String, String> health(JsonNode issuer) throws IOException {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(issuer));
    LuaValue hs = globals.load(Files.readString(LUA), "health.lua").call();
    return Map.of("status", hs.get("status").tojstring(), "message", hs.get("message").tojstring());
  }

  /** JSON as Argo CD hands it to Lua: objects and arrays become tables (arrays 1-based). */
  private static LuaValue lua(JsonNode node) {
    if (node.isObject()) {
      LuaTable t = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          t.set(e.getKey(), lua(e.getValue()));
        }
      }
      return t;
    }
    if (node.isArray()) {
      LuaTable t = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        t.set(i + 1, lua(node.get(i)));
      }
      return t;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }
}
