package io.macp.operator.reconciler;

/**
 * One Kubernetes Event to raise about an issuer. Messages never carry key material.
 *
 * <p>Every event of this operator reports a one-time decision made from the previous status; two
 * reconciles can make the same decision from the same stale status (a status write triggers a
 * reconcile whose cache may still hold the status before it). So each event is recorded at most
 * once per issuer and {@code decision} ({@link IssuerEventRecorder#record}): the second create of
 * the same decision gets AlreadyExists and is skipped.
 *
 * @param warning whether it is a Warning (else Normal)
 * @param reason a CamelCase reason such as {@code KeyActivated}
 * @param message what happened, for a person
 * @param decision what makes two events the same decision (with the reason), never a timestamp
 *     of the reconcile; by default the message
 */
public record KeyEvent(boolean warning, String reason, String message, String decision) {
  public static KeyEvent normal(String reason, String message) {
    return new KeyEvent(false, reason, message, message);
  }

  public static KeyEvent warning(String reason, String message) {
    return new KeyEvent(true, reason, message, message);
  }

  /** The same event, the same decision as any other event of this reason with these parts. */
  public KeyEvent decidedBy(Object... parts) {
    StringBuilder d = new StringBuilder();
    for (Object p : parts) {
      d.append(p).append('\n');
    }
    return new KeyEvent(warning, reason, message, d.toString());
  }
}
