package io.macp.issuer.signing;

import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What the routes need from a key set during one stretch of time in which nothing changes: the
 * signer (already prepared) and the JWKS (already serialized). Valid from the instant it was
 * built until the key set's next change; immutable.
 *
 * @param keySet the key set this view was built from
 * @param validFrom the instant it was built for
 * @param validUntil the key set's next change after validFrom, or null when none is scheduled
 * @param signer the signer now, or null when no key may sign (not ready)
 * @param jwks the public keys now
 * @param publishedKids the kids in {@code jwks}
 */
public record KeyView(
    KeySet keySet,
    Instant validFrom,
    Instant validUntil,
    PreparedSigner signer,
    JwksDocument jwks,
    Set<String> publishedKids) {

  public boolean covers(Instant t) {
    return !t.isBefore(validFrom) && (validUntil == null || t.isBefore(validUntil));
  }

  public Optional<PreparedSigner> signerNow() {
    return Optional.ofNullable(signer);
  }

  public boolean publishes(String kid) {
    return publishedKids.contains(kid);
  }

  /** The earliest activateAt after {@code t} of a key that can still sign, if any. */
  public Optional<Instant> nextActivationAfter(Instant t) {
    return keySet.nextToActivateAfter(t).map(ManagedKey::activateAt);
  }

}
