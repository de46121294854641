package io.macp.issuer.security;

import io.macp.issuer.files.PolledValue;

/** A policy, token directory or TLS file that cannot be used; the message never holds a secret. */
public class InvalidPolicyException extends Exception implements PolledValue.ShownAsIs {
  public InvalidPolicyException(String message) {
    super(message);
  }

  public InvalidPolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
