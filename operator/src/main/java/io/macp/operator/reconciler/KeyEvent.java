package io.macp.operator.reconciler;

/**
 * One Kubernetes Event to raise about an issuer. Messages never carry key material.
 *
 * @param warning whether it is a Warning (else Normal)
 * @param reason a CamelCase reason such as {@code KeyActivated}
 * @param message what happened, for a person
 */
public record KeyEvent(boolean warning, String reason, String message) {
  public static KeyEvent normal(String reason, String message) {
    return new KeyEvent(false, reason, message);
  }

  public static KeyEvent warning(String reason, String message) {
    return new KeyEvent(true, reason, message);
  }
}
