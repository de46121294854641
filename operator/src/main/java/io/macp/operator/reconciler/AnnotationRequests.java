package io.macp.operator.reconciler;

import io.macp.keyset.RotationRequests;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the request annotations of a MacpIssuer against what was already handled, so re-applying
 * the same manifest (GitOps) never repeats a request. Pure.
 *
 * @param rotateNonce the rotate annotation's value when it is new, else null
 * @param revokeValue the revoke annotation's value when it is new, else null
 * @param revokeKids the kids the new revoke value names
 */
public record AnnotationRequests(String rotateNonce, String revokeValue, List<String> revokeKids) {
  public static final String ROTATE = "macp.io/rotate";
  public static final String REVOKE = "macp.io/revoke";

  public AnnotationRequests {
    revokeKids = List.copyOf(revokeKids);
  }

  /**
   * @param annotations the issuer's annotations (may be null)
   * @param handledRotateNonces nonces already applied (from status and the key Secret)
   * @param handledRevokes revoke values already applied
   */
  public static AnnotationRequests read(
      Map<String, String> annotations, List<String> handledRotateNonces, List<String> handledRevokes) {
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    String nonce = trimmed(a.get(ROTATE));
    if (nonce != null && handledRotateNonces.contains(nonce)) {
      nonce = null;
    }
    String revoke = trimmed(a.get(REVOKE));
    if (revoke != null && handledRevokes.contains(revoke)) {
      revoke = null;
    }
    List<String> kids = revoke == null
        ? List.of()
        : Arrays.stream(revoke.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct()
            .toList();
    return new AnnotationRequests(nonce, revoke, kids);
  }

  public boolean any() {
    return rotateNonce != null || revokeValue != null;
  }

  public RotationRequests toRotationRequests() {
    return new RotationRequests(rotateNonce != null, revokeKids);
  }

  private static String trimmed(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    return s.trim();
  }
}
