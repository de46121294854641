package io.macp.keyset;

/** A key-set document that must not replace a good one. The message never contains key material. */
public class InvalidKeySetException extends Exception {
  public InvalidKeySetException(String message) {
    super(message);
  }

  public InvalidKeySetException(String message, Throwable cause) {
    super(message, cause);
  }
}
