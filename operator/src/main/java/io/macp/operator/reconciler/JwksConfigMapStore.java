package io.macp.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.macp.keyset.KeySet;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.resources.IssuerOwnerReference;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes an issuer's public JWKS in ConfigMap {@code <name>-jwks}, for verifiers configured with
 * an inline JWKS and for copying to other clusters. Only public members ever reach it: the content
 * is {@link KeySet#jwksJsonAt}, the same document the issuer pods serve.
 */
final class JwksConfigMapStore {
  private final KubernetesClient client;

  JwksConfigMapStore(KubernetesClient client) {
    this.client = client;
  }

  /** Creates or updates the ConfigMap; writes only when its content or ownership changed. */
  void apply(MacpIssuer issuer, KeySet keys, Instant now) {
    String ns = issuer.getMetadata().getNamespace();
    String jwks = keys.jwksJsonAt(now);
    ConfigMap current = client.configMaps().inNamespace(ns).withName(IssuerNames.jwksConfigMap(issuer)).get();
    if (current == null) {
      client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
          .withMetadata(new ObjectMetaBuilder()
              .withName(IssuerNames.jwksConfigMap(issuer))
              .withNamespace(ns)
              .withLabels(IssuerNames.labels(issuer))
              .withOwnerReferences(IssuerOwnerReference.of(issuer))
              .build())
          .withData(Map.of(IssuerNames.JWKS_KEY, jwks))
          .build()).create();
      return;
    }
    Map<String, String> data = current.getData() == null ? new HashMap<>() : new HashMap<>(current.getData());
    data.put(IssuerNames.JWKS_KEY, jwks);
    ConfigMap desired = new ConfigMapBuilder(current)
        .editMetadata()
        .withLabels(Ownership.withLabels(current.getMetadata().getLabels(), issuer))
        .withOwnerReferences(IssuerOwnerReference.withOwner(current.getMetadata().getOwnerReferences(), issuer, true))
        .endMetadata()
        .withData(data)
        .build();
    if (!Objects.equals(current.getData(), desired.getData())
        || !Objects.equals(current.getMetadata().getLabels(), desired.getMetadata().getLabels())
        || !Objects.equals(current.getMetadata().getOwnerReferences(),
            desired.getMetadata().getOwnerReferences())) {
      client.configMaps().inNamespace(ns).resource(desired)
          .lockResourceVersion(current.getMetadata().getResourceVersion()).update();
    }
  }

  /**
   * Deletes the ConfigMap only when this issuer owns it, conditional on the resourceVersion read:
   * a foreign ConfigMap of that name, or one changed meanwhile (409), is left alone.
   */
  void deleteIfOwnedBy(MacpIssuer issuer) {
    String ns = issuer.getMetadata().getNamespace();
    ConfigMap current = client.configMaps().inNamespace(ns).withName(IssuerNames.jwksConfigMap(issuer)).get();
    if (current == null || !IssuerOwnerReference.isOwnedBy(current, issuer)) {
      return;
    }
    try {
      client.configMaps().inNamespace(ns).resource(current)
          .lockResourceVersion(current.getMetadata().getResourceVersion()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
