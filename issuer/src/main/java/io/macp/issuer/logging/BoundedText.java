package io.macp.issuer.logging;

/**
 * Makes text safe for one log line: control characters (line breaks included) and other
 * invisible characters become {@code \\uXXXX}, and the result is cut at a maximum length with a
 * note of how much was cut. Log messages may quote what a client sent (Jetty quotes bad header
 * values); this is what keeps such a line from being forged or made huge.
 */
public final class BoundedText {
  /** Longest message written, in characters, before the cut note. */
  public static final int MAX_MESSAGE_CHARS = 2048;

  private BoundedText() {}

  /** {@code text} escaped and cut at {@code max} characters (escapes count as written). */
  public static String of(String text, int max) {
    if (text == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 32);
    int i = 0;
    for (; i < text.length() && b.length() < max; i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0);
      if (control || c == 0x2028 || c == 0x2029) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (i < text.length()) {
      b.append("…[").append(text.length() - i).append(" more chars]");
    }
    return b.toString();
  }
}
