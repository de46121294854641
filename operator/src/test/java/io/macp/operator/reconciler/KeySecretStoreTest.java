package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.macp.keyset.KeySet;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.resources.IssuerNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeySecretStoreTest {
  private static final KeySet KEYS = TestKeys.genesis();

  @Test
  void classifiesWhatIsStored() {
    assertThat(KeySecretStore.classify(null)).isInstanceOf(KeySecretStore.Absent.class);
    var loaded = KeySecretStore.classify(secret(Map.of("keyset.json", KeySecretStore.encode(KEYS))));
    assertThat(loaded).isInstanceOfSatisfying(KeySecretStore.Loaded.class,
        l -> assertThat(l.keySet()).isEqualTo(KEYS));
  }

  @Test
  void anythingElseIsCorruptAndSaysWhyWithoutQuotingIt() {
    String privateKeyLike = "{\"version\":1,\"keys\":[{\"jwk\":{\"kty\":\"EC\",\"d\":\"SECRETVALUE\"}}]}";
    assertThat(corrupt(Map.of("keyset.json", b64(privateKeyLike))))
        .contains("keys[0].jwk is not a valid JWK").doesNotContain("SECRETVALUE");
    assertThat(corrupt(Map.of("keyset.json", b64("not json SECRETVALUE"))))
        .isEqualTo("key set is not a JSON object");
    assertThat(corrupt(Map.of("keyset.json", "%%%"))).contains("not valid base64");
    assertThat(corrupt(Map.of("other.json", KeySecretStore.encode(KEYS))))
        .isEqualTo("it has no data key keyset.json");
    assertThat(corrupt(Map.of("keyset.json", KeySecretStore.encode(KeySet.empty()))))
        .contains("holds no keys");
  }

  @Test
  void theDesiredSecretKeepsForeignMetadataAndSetsOurs() {
    MacpIssuer issuer = issuer(false);
    Secret current = new SecretBuilder(secret(Map.of("keyset.json", KeySecretStore.encode(KEYS),
        "note", "kept")))
        .editMetadata()
        .withLabels(Map.of("team", "a"))
        .withAnnotations(Map.of("x", "y"))
        .endMetadata()
        .build();
    Secret desired = KeySecretStore.desired(current, issuer, false, KEYS, "n1", null);
    assertThat(desired.getMetadata().getLabels()).containsEntry("team", "a")
        .containsAllEntriesOf(IssuerNames.labels(issuer));
    assertThat(desired.getMetadata().getAnnotations()).containsEntry("x", "y")
        .containsEntry(KeySecretStore.HANDLED_ROTATE, "n1")
        .doesNotContainKey(KeySecretStore.HANDLED_REVOKE);
    assertThat(desired.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    assertThat(desired.getData()).containsEntry("note", "kept");
    assertThat(desired.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(KeySecretStore.differs(current, desired)).isTrue();
    assertThat(KeySecretStore.differs(desired, KeySecretStore.desired(desired, issuer, false, KEYS, null, null)))
        .isFalse();
  }

  @Test
  void retainedKeysCarryNoOwnerReference() {
    Secret current = new SecretBuilder(secret(Map.of("keyset.json", KeySecretStore.encode(KEYS))))
        .editMetadata()
        .withOwnerReferences(new OwnerReferenceBuilder().withKind("MacpIssuer").withUid("uid-1")
            .withName("a").withApiVersion("macp.io/v1alpha1").build())
        .endMetadata()
        .build();
    Secret desired = KeySecretStore.desired(current, issuer(true), true, KEYS, null, null);
    assertThat(desired.getMetadata().getOwnerReferences()).isEmpty();
  }

  private static String corrupt(Map<String, String> data) {
    var stored = KeySecretStore.classify(secret(data));
    assertThat(stored).isInstanceOf(KeySecretStore.Corrupt.class);
    return ((KeySecretStore.Corrupt) stored).problem();
  }

  private static Secret secret(Map<String, String> data) {
    return new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("a-keys").withNamespace("ns")
            .withResourceVersion("7").build())
        .withData(data)
        .build();
  }

  private static MacpIssuer issuer(boolean retain) {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setMetadata(new ObjectMetaBuilder().withName("a").withNamespace("ns").withUid("uid-1").build());
    MacpIssuerSpec spec = new MacpIssuerSpec();
    spec.setRetainKeysOnDelete(retain);
    issuer.setSpec(spec);
    return issuer;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
