package io.macp.cli;

import io.macp.keyset.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Instants as people read them next to "now": "in 4m30s", "12s ago". */
final class Times {
  private Times() {}

  static String relative(String instant, Instant now) {
    if (instant == null || instant.isBlank()) {
      return "-";
    }
    try {
      return relative(Instant.parse(instant), now);
    } catch (DateTimeParseException e) {
      return instant;
    }
  }

  static String relative(Instant instant, Instant now) {
    Duration d = Duration.between(now, instant).withNanos(0);
    if (d.isZero()) {
      return "now";
    }
    return d.isNegative() ? Durations.format(d.negated()) + " ago" : "in " + Durations.format(d);
  }
}
