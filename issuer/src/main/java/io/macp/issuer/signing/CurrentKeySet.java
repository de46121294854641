package io.macp.issuer.signing;

import com.nimbusds.jose.JOSEException;
import io.macp.issuer.keys.KeySetListener;
import io.macp.keyset.KeySet;
import io.macp.keyset.ManagedKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last good key set as the routes see it. Which key signs and which keys are public is asked
 * of {@link KeySet} (the one timeline implementation); this class only caches the answers, with
 * the signers prepared and the JWKS serialized, until the key set's next change or until a new
 * key set arrives. Lock-free on the request path.
 */
public final class CurrentKeySet implements KeySetListener {
  private static final Logger LOG = LoggerFactory.getLogger(CurrentKeySet.class);

  /** The key set with a signer prepared for every key that can sign; replaced as a whole. */
  private record Loaded(KeySet keySet, Map<String, PreparedSigner> signers) {}

  private final AtomicReference<Loaded> loaded = new AtomicReference<>();
  private final AtomicReference<KeyView> view = new AtomicReference<>();
  private volatile String lastRejection;

  public CurrentKeySet(KeySet initial) {
    loaded.set(prepare(Objects.requireNonNull(initial, "initial key set"), Map.of()));
  }

  /** A new valid key set from the source: takes effect for the next request. */
  @Override
  public void accepted(KeySet keySet) {
    Loaded previous = loaded.get();
    loaded.set(prepare(keySet, previous.signers()));
    view.set(null);
  }

  /** The source refused an update: the last good key set stays in force. */
  @Override
  public void rejected(String reason) {
    lastRejection = reason;
  }

  public KeySet keySet() {
    return loaded.get().keySet();
  }

  /** Why the last update was refused, or null; for diagnostics, never contains key material. */
  public String lastRejection() {
    return lastRejection;
  }

  /** The view at {@code now}: cached while nothing changes. */
  public KeyView viewAt(Instant now) {
    KeyView current = view.get();
    Loaded keys = loaded.get();
    if (current != null && current.keySet() == keys.keySet() && current.covers(now)) {
      return current;
    }
    KeyView fresh = build(keys, now, current);
    // An older instant from a slow thread gets its own answer but does not replace a newer view.
    if (current == null || current.keySet() != keys.keySet()
        || !now.isBefore(current.validFrom())) {
      view.compareAndSet(current, fresh);
    }
    return fresh;
  }

  private static KeyView build(Loaded keys, Instant now, KeyView previous) {
    KeySet set = keys.keySet();
    PreparedSigner signer = set.signerAt(now).map(k -> keys.signers().get(k.kid())).orElse(null);
    String json = set.jwksJsonAt(now);
    JwksDocument jwks =
        previous != null && previous.jwks().json().equals(json)
            ? previous.jwks()
            : JwksDocument.of(json);
    Set<String> kids = new HashSet<>();
    for (ManagedKey k : set.publishedAt(now)) {
      kids.add(k.kid());
    }
    return new KeyView(
        set, now, set.nextChangeAfter(now).orElse(null), signer, jwks, Set.copyOf(kids));
  }

  /**
   * Prepares a signer for every key that may ever sign, now rather than on a request; reuses the
   * previous signer's converted key when the same key (same kid and material) is still there.
   */
  private static Loaded prepare(KeySet set, Map<String, PreparedSigner> previous) {
    Map<String, PreparedSigner> signers = new HashMap<>();
    for (ManagedKey k : set.keys()) {
      if (k.isRevoked() || !k.hasPrivateKey()) {
        continue;
      }
      PreparedSigner old = previous.get(k.kid());
      if (old != null && old.key().jwk().equals(k.jwk())) {
        // the newer record: its maxTokenTtl (raised by a policy change) is what mints clamp to
        signers.put(k.kid(), old.withRecord(k));
        continue;
      }
      try {
        signers.put(k.kid(), PreparedSigner.of(k));
      } catch (JOSEException | RuntimeException e) {
        // The message of a nimbus key error names the problem, not the key material.
        LOG.error("key {} can't sign and will not be used: {}", k.kid(), e.getMessage());
      }
    }
    return new Loaded(set, Map.copyOf(signers));
  }
}
