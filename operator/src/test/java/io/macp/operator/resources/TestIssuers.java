package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;

/** MacpIssuers for tests: the model's defaults unless a test changes them. */
public final class TestIssuers {
  private TestIssuers() {}

  public static MacpIssuer issuer(String namespace, String name) {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespace).withName(name).withUid("uid-" + name).build());
    issuer.setSpec(new MacpIssuerSpec());
    return issuer;
  }
}
