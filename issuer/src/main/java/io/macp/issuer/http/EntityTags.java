package io.macp.issuer.http;

/** {@code If-None-Match} matching (RFC 9110 13.1.2: weak comparison, lists and {@code *}). */
public final class EntityTags {
  private EntityTags() {}

  /** Whether {@code ifNoneMatch} names {@code etag} (a quoted strong tag). */
  public static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*")) {
        return true;
      }
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
