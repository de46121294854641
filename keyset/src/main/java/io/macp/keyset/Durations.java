package io.macp.keyset;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes/Go style durations ({@code 90s}, {@code 5m}, {@code 1h30m}, {@code 1.5h}), the only
 * duration syntax users write in specs and environment variables.
 */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("^(?:\\d+(?:\\.\\d+)?(?:h|ms|m|s))+$");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s)");

  private Durations() {}

  /** Parses a non-negative duration; {@code "0"} is accepted as zero like Go does. */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("duration is missing");
    }
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (!WHOLE.matcher(s).matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; use a number and unit such as 90s, 5m, 24h or 1h30m");
    }
    double millis = 0;
    Matcher m = PART.matcher(s);
    while (m.find()) {
      double value = Double.parseDouble(m.group(1));
      millis += switch (m.group(2)) {
        case "h" -> value * 3_600_000d;
        case "m" -> value * 60_000d;
        case "s" -> value * 1_000d;
        default -> value;
      };
    }
    if (millis > Long.MAX_VALUE / 2) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration");
    }
    return Duration.ofMillis(Math.round(millis));
  }

  /** Formats as Go does, without zero parts: {@code 1h8m}, {@code 1m30s}, {@code 0s}, {@code 250ms}. */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    if (d.isZero()) {
      return "0s";
    }
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    StringBuilder b = new StringBuilder();
    long h = ms / 3_600_000;
    long m = (ms / 60_000) % 60;
    long s = (ms / 1000) % 60;
    long rest = ms % 1000;
    if (h > 0) {
      b.append(h).append('h');
    }
    if (m > 0) {
      b.append(m).append('m');
    }
    if (s > 0 || rest > 0) {
      b.append(s);
      if (rest > 0) {
        b.append('.').append(String.format("%03d", rest).replaceAll("0+$", ""));
      }
      b.append('s');
    }
    return b.toString();
  }
}
