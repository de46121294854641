package io.macp.issuer.security.policy;

import io.macp.issuer.api.MintPolicyRules;

/**
 * An exact sender name or a glob over sender names, always anchored at both ends.
 *
 * <p>Syntax: {@code *} matches any run (possibly empty) of characters other than {@code /};
 * {@code **} matches any run including {@code /}; every other character matches itself,
 * case-sensitively. There is no escape syntax and no other wildcard; no regular expression is
 * ever built from policy text.
 *
 * <p>Only <em>canonical</em> sender names can match anything: at most 1024 characters from
 * {@code A-Z a-z 0-9 - . _ ~ : / @ +}, and, after the {@code scheme://} prefix, no empty,
 * {@code .} or {@code ..} path segment. So whitespace, control and non-ASCII characters (look-alike
 * letters), percent-encoding, backslashes, a literal {@code *} and dot-segment tricks such as
 * {@code agent://team-a/../team-b/x} are refused by every pattern.
 */
public final class SenderPattern {
  static final int MAX_SENDER_LENGTH = MintPolicyRules.MAX_SENDER_LENGTH;
  private static final int STAR = -1;
  private static final int DOUBLE_STAR = -2;

  private final String text;
  private final int[] tokens;

  private SenderPattern(String text, int[] tokens) {
    this.text = text;
    this.tokens = tokens;
  }

  /** Validates and compiles one policy pattern; the message says what is wrong. */
  public static SenderPattern compile(String text) {
    MintPolicyRules.checkSenderPattern(text);
    int[] tokens = new int[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
        tokens[n++] = DOUBLE_STAR;
        i++;
      } else {
        tokens[n++] = c == '*' ? STAR : c;
      }
    }
    return new SenderPattern(text, java.util.Arrays.copyOf(tokens, n));
  }

  public boolean matches(String sender) {
    if (sender == null || !isCanonical(sender) || sender.indexOf('*') >= 0) {
      return false;
    }
    // Dynamic programming over (pattern prefix, sender prefix): linear memory, no backtracking.
    int m = tokens.length;
    boolean[] prev = new boolean[m + 1];
    boolean[] cur = new boolean[m + 1];
    prev[0] = true;
    for (int j = 1; j <= m; j++) {
      prev[j] = prev[j - 1] && tokens[j - 1] < 0;
    }
    for (int i = 1; i <= sender.length(); i++) {
      char c = sender.charAt(i - 1);
      cur[0] = false;
      for (int j = 1; j <= m; j++) {
        int t = tokens[j - 1];
        if (t == STAR) {
          cur[j] = cur[j - 1] || (prev[j] && c != '/');
        } else if (t == DOUBLE_STAR) {
          cur[j] = cur[j - 1] || prev[j];
        } else {
          cur[j] = prev[j - 1] && c == t;
        }
      }
      boolean[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[m];
  }

  /** True for names this class can ever match (see the class comment). */
  static boolean isCanonical(String name) {
    return MintPolicyRules.isCanonicalSender(name);
  }

  @Override
  public String toString() {
    return text;
  }
}
