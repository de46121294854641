package io.macp.operator.model.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.operator.crd.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Found by trying the embedded cluster as a new user: one mistyped field ({@code rotaton:}) made
 * the operator's informer fail to read the object, which stopped the whole operator. An unknown
 * field at any level must be ignored (a real API server prunes it; after a rollback, objects may
 * carry a newer CRD's fields).
 */
class UnknownFieldsTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void unknownFieldsAtEveryLevelAreIgnored() {
    String yaml = """
        apiVersion: macp.io/v1alpha1
        kind: MacpIssuer
        metadata: {name: typo}
        fromTheFuture: 1
        spec:
          rotaton: {period: 48h}
          rotation: {period: 36h, newKnob: x, activationGate: {mode: Observe, later: 1}}
          signing: {algorithm: ES256, curve: P-256}
          tokens: {maxTtl: 30m, minTtl: 1s}
          service: {port: 3200, extra: true}
          mint:
            authentication: SharedSecret
            clients: [{sharedSecret: s, senders: [agent://a], colour: red}]
        status:
          activeKid: k1
          keys: [{kid: k1, phase: Active, shape: round}]
          verifiers: {known: 2, future: []}
          somethingNew: {}
        """;
    MacpIssuer issuer = SERIALIZATION.unmarshal(yaml, MacpIssuer.class);
    assertThat(issuer.getSpec().getRotation().getPeriod()).isEqualTo("36h");
    assertThat(issuer.getSpec().getSigning().getAlgorithm()).isEqualTo("ES256");
    assertThat(issuer.getSpec().getTokens().getMaxTtl()).isEqualTo("30m");
    assertThat(issuer.getStatus().getActiveKid()).isEqualTo("k1");
    assertThat(issuer.getStatus().getKeys()).singleElement()
        .satisfies(k -> assertThat(k.getKid()).isEqualTo("k1"));
  }

  /** A model class added later must follow the same rule. */
  @Test
  void everyModelClassIgnoresUnknownFields() throws IOException, ClassNotFoundException {
    Path dir = ProjectFiles.root().resolve("operator/src/main/java/io/macp/operator/model/v1alpha1");
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      names = files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".java") && !n.equals("package-info.java")
              && !n.equals("RsaKeySizeSchema.java")) // a schema stand-in, never deserialized
          .map(n -> n.substring(0, n.length() - ".java".length()))
          .toList();
    }
    assertThat(names).contains("MacpIssuer", "MacpIssuerSpec", "RotationSpec", "KeyStatus");
    for (String name : names) {
      Class<?> type = Class.forName(MacpIssuer.class.getPackageName() + "." + name);
      JsonIgnoreProperties ignore = type.getAnnotation(JsonIgnoreProperties.class);
      assertThat(ignore).as(name + " has @JsonIgnoreProperties").isNotNull();
      assertThat(ignore.ignoreUnknown()).as(name + " ignores unknown fields").isTrue();
    }
  }
}
