package io.macp.issuer.signing;

/** No key may sign at this instant (every key activates later, or none can sign): not ready. */
public class NoSigningKeyException extends Exception {
  public NoSigningKeyException(String message) {
    super(message);
  }
}
