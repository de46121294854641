package io.macp.issuer.keys;

import io.macp.keyset.KeySet;

/**
 * Where an issuer's keys come from: one static key (env), an ephemeral key, a key-set file
 * written by the operator (watched), or a key-set file the issuer rotates itself.
 */
public interface KeySetSource extends AutoCloseable {
  /** {@code env}, {@code ephemeral}, {@code file} or {@code self-managed}: logged at startup. */
  String kind();

  /** Loads the first key set; throws with a message a person can act on when none is usable. */
  KeySet initial() throws Exception;

  /**
   * Starts delivering later key sets. Only valid ones reach {@link KeySetListener#accepted}; a
   * missing, unparsable or invalid update goes to {@link KeySetListener#rejected} and the last
   * good key set stays in force. A no-op for static sources.
   */
  void watch(KeySetListener listener);

  @Override
  void close();
}
