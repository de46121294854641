package io.macp.issuer.keys;

import io.macp.keyset.KeySet;

/**
 * Receives key-set updates from a {@link KeySetSource}. Calls come from the source's single
 * watcher thread, one at a time and in order; keep them short (swap a reference).
 */
public interface KeySetListener {
  void accepted(KeySet keySet);

  /** @param reason why the update was refused; never contains key material */
  void rejected(String reason);
}
