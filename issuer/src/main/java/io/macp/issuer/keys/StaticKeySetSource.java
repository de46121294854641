package io.macp.issuer.keys;

import com.nimbusds.jose.jwk.JWK;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import java.time.Instant;
import java.util.List;

/**
 * One key that never changes while the process runs. It is valid from the epoch and never retires,
 * so the key set's clock-based rules make it the signer at every instant.
 */
abstract class StaticKeySetSource implements KeySetSource {
  private final KeySet keySet;

  StaticKeySetSource(JWK privateJwk) {
    this.keySet = new KeySet(List.of(ManagedKey.created(privateJwk, Instant.EPOCH, Instant.EPOCH)));
  }

  @Override
  public KeySet initial() {
    return keySet;
  }

  /** Nothing ever changes: a new key needs a restart with new configuration. */
  @Override
  public void watch(KeySetListener listener) {}

  @Override
  public void close() {}
}
