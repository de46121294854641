package io.macp.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KeySecretReadyConditionTest {
  KubernetesClient client;

  private final KeySecretReadyCondition condition = new KeySecretReadyCondition();
  private final MacpIssuer issuer = TestIssuers.issuer("ns", "auth");

  @Test
  void notMetWithoutKeySecretOrDeployment() {
    assertThat(condition.isMet(dependent(null), issuer, context(List.of(), client))).isFalse();
  }

  @Test
  void metOnceTheKeySecretExistsEvenBeforeTheCacheHasIt() {
    client.secrets().inNamespace("ns").resource(keySecret("ns", "auth-keys")).create();
    assertThat(condition.isMet(dependent(null), issuer, context(List.of(), client))).isTrue();
  }

  @Test
  void metFromTheCacheWithoutAskingTheApiServer() {
    // a null client: asking the API server would throw
    var cached = context(List.of(keySecret("ns", "auth-keys")), null);
    assertThat(condition.isMet(dependent(null), issuer, cached)).isTrue();
  }

  @Test
  void anotherIssuersSecretDoesNotCount() {
    client.secrets().inNamespace("ns").resource(keySecret("ns", "other-keys")).create();
    client.secrets().inNamespace("elsewhere").resource(keySecret("elsewhere", "auth-keys")).create();
    var cache = List.of(keySecret("ns", "other-keys"), keySecret("elsewhere", "auth-keys"));
    assertThat(condition.isMet(dependent(null), issuer, context(cache, client))).isFalse();
  }

  @Test
  void aRunningDeploymentIsNeverTornDownWhenTheSecretVanishes() {
    // JOSDK deletes a dependent whose precondition fails; pods must survive a hand-deleted Secret
    Deployment running = IssuerDeploymentBuilder.build(issuer);
    assertThat(condition.isMet(dependent(running), issuer, context(List.of(), client))).isTrue();
  }

  private static Secret keySecret(String namespace, String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .addToStringData(IssuerNames.KEYSET_KEY, "{}")
        .build();
  }

  @SuppressWarnings("unchecked")
  private static DependentResource<Deployment, MacpIssuer> dependent(Deployment existing) {
    return (DependentResource<Deployment, MacpIssuer>)
        Proxy.newProxyInstance(
            KeySecretReadyConditionTest.class.getClassLoader(),
            new Class<?>[] {DependentResource.class},
            (proxy, method, args) -> switch (method.getName()) {
              case "getSecondaryResource" -> Optional.ofNullable(existing);
              case "resourceType" -> Deployment.class;
              default -> throw new UnsupportedOperationException(method.getName());
            });
  }

  /** A reconcile context whose Secret event sources hold {@code cachedSecrets}. */
  @SuppressWarnings("unchecked")
  private static Context<MacpIssuer> context(List<Secret> cachedSecrets, KubernetesClient client) {
    return (Context<MacpIssuer>)
        Proxy.newProxyInstance(
            KeySecretReadyConditionTest.class.getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) -> switch (method.getName()) {
              case "getSecondaryResourcesAsStream" ->
                  args[0] == Secret.class ? cachedSecrets.stream() : java.util.stream.Stream.empty();
              case "getSecondaryResources" ->
                  args[0] == Secret.class ? new java.util.HashSet<>(cachedSecrets) : java.util.Set.of();
              case "getClient" -> {
                if (client == null) {
                  throw new AssertionError("the cache had the Secret; no API call expected");
                }
                yield client;
              }
              default -> throw new UnsupportedOperationException(method.getName());
            });
  }
}
