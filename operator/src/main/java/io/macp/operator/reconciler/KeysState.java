package io.macp.operator.reconciler;

import io.macp.keyset.KeySet;

/**
 * What the operator knows about the stored key set after this reconcile: the key set, or why there
 * is none it may use.
 *
 * @param keySet the stored key set, or null when it is unknown or unusable
 * @param problemReason a condition reason such as {@code KeySetCorrupt}, or null when keys are fine
 * @param problemMessage what happened and what a person should do
 */
public record KeysState(KeySet keySet, String problemReason, String problemMessage) {
  public static KeysState ready(KeySet keySet) {
    return new KeysState(keySet, null, null);
  }

  public static KeysState problem(String reason, String message) {
    return new KeysState(null, reason, message);
  }

  /** Keys were not looked at, e.g. because the spec is invalid. */
  public static KeysState untouched() {
    return new KeysState(null, null, null);
  }

  public boolean isReady() {
    return keySet != null && problemReason == null;
  }
}
