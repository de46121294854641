package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IssuerEnvTest {
  private static final IssuerEnv.RefResolver NO_REFS = new IssuerEnv.RefResolver() {
    @Override
    public Optional<String> secretKey(String namespace, String name, String key) {
      return Optional.empty();
    }

    @Override
    public Optional<String> configMapKey(String namespace, String name, String key) {
      return "cm".equals(name) && "k".equals(key) ? Optional.of("from-cm") : Optional.empty();
    }
  };

  private static IssuerPodSpec spec(List<EnvVar> env) {
    return new IssuerPodSpec("ns", "iss", 1, 1, "hash", "issuer", env,
        List.of(new IssuerPodSpec.ObjectVolume(IssuerPodSpec.SourceKind.SECRET, "keys", "iss-keys", false, 0440, Map.of(), "/var/run/macp/keys")),
        List.of());
  }

  @Test
  void pointsMountedPathsAtTheReplicaDirectoryAndListensOnAnEphemeralLoopbackPort() {
    Path keys = Path.of("/work/ns/pod/volumes/keys");
    Map<String, String> env = IssuerEnv.build(
        spec(List.of(new EnvVar("MACP_AUTH_KEYSET_FILE", "/var/run/macp/keys/keyset.json", null),
            new EnvVar("PORT", "3200", null),
            new EnvVar("OTHER", "/var/run/macp/keysfile", null),
            new EnvVarBuilder().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().build(),
            new EnvVarBuilder().withName("CM").withNewValueFrom().withNewConfigMapKeyRef("k", "cm", false)
                .endValueFrom().build())),
        "iss-abc-0", Map.of("keys", keys), NO_REFS);

    assertThat(env)
        .containsEntry("MACP_AUTH_KEYSET_FILE", keys.resolve("keyset.json").toString())
        .containsEntry("PORT", "0")
        .containsEntry("MACP_AUTH_BIND_ADDRESS", "127.0.0.1")
        .containsEntry("OTHER", "/var/run/macp/keysfile")
        .containsEntry("POD", "iss-abc-0")
        .containsEntry("CM", "from-cm");
  }

  @Test
  void aPublicPortAlsoMovesToAnEphemeralPortAndIsNeverAddedWhenAbsent() {
    Map<String, String> split = IssuerEnv.build(spec(List.of(
        new EnvVar("PORT", "3200", null), new EnvVar("MACP_AUTH_PUBLIC_PORT", "3201", null))),
        "p", Map.of(), NO_REFS);
    assertThat(split).containsEntry("PORT", "0").containsEntry("MACP_AUTH_PUBLIC_PORT", "0");
    assertThat(IssuerEnv.build(spec(List.of(new EnvVar("PORT", "3200", null))), "p", Map.of(),
        NO_REFS)).doesNotContainKey("MACP_AUTH_PUBLIC_PORT");
  }

  @Test
  void withoutAKeySetFileEnvTheKeysVolumeIsUsed() {
    Path keys = Path.of("/w/keys");
    assertThat(IssuerEnv.build(spec(List.of()), "p", Map.of("keys", keys), NO_REFS))
        .containsEntry("MACP_AUTH_KEYSET_FILE", keys.resolve("keyset.json").toString());
  }

  @Test
  void aMissingRequiredReferenceStopsTheStart() {
    EnvVar ref = new EnvVarBuilder().withName("TOKEN").withNewValueFrom()
        .withNewSecretKeyRef("k", "absent", false).endValueFrom().build();
    assertThatThrownBy(() -> IssuerEnv.build(spec(List.of(ref)), "p", Map.of(), NO_REFS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TOKEN")
        .hasMessageContaining("Secret absent");
  }
}
