package io.macp.issuer.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySpec;
import io.macp.keyset.ManagedKey;
import io.macp.keyset.SigningAlgorithm;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EphemeralKeySourceTest {
  @Test
  void anRs256KeyNamedDevKey1() {
    ManagedKey key = onlyKey(new EphemeralKeySource(KeySpec.rs256()).initial());

    assertThat(key.kid()).isEqualTo("dev-key-1");
    assertThat(key.jwk()).isInstanceOf(RSAKey.class);
    assertThat(key.algorithm()).isEqualTo(SigningAlgorithm.RS256);
    assertThat(((RSAKey) key.jwk()).size()).isEqualTo(2048);
  }

  @Test
  void anEs256KeyNamedDevKey1() {
    ManagedKey key = onlyKey(new EphemeralKeySource(KeySpec.es256()).initial());

    assertThat(key.kid()).isEqualTo("dev-key-1");
    assertThat(key.jwk()).isInstanceOf(ECKey.class);
    assertThat(key.algorithm()).isEqualTo(SigningAlgorithm.ES256);
  }

  @Test
  void everyProcessGetsAFreshKey() {
    ManagedKey a = onlyKey(new EphemeralKeySource(KeySpec.es256()).initial());
    ManagedKey b = onlyKey(new EphemeralKeySource(KeySpec.es256()).initial());

    assertThat(a.publicJwk()).isNotEqualTo(b.publicJwk());
  }

  private static ManagedKey onlyKey(KeySet set) {
    assertThat(set.keys()).hasSize(1);
    ManagedKey key = set.keys().get(0);
    assertThat(key.hasPrivateKey()).isTrue();
    assertThat(set.signerAt(Instant.now())).contains(key);
    return key;
  }
}
