package io.macp.cli;

import io.macp.keyset.Durations;
import io.macp.keyset.ManagedKey;
import io.macp.operator.model.v1alpha1.KeyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keys on a text time axis, one row per key, one column per equal slice of time:
 * {@code -} published (in the JWKS, not signing), {@code =} active (signs), {@code ~} retired (in
 * the JWKS so its tokens still verify), {@code x} revoked, blank when not in the JWKS; {@code |}
 * marks now. Under the axis, the exact instants. Pure.
 */
final class TimelineView {
  static final int WIDTH = 60;

  /** One key's instants; null when not (yet) known. */
  record KeyLine(String kid, Instant published, Instant activate, Instant retire, Instant remove,
      Instant revoked) {

    static KeyLine of(KeyStatus k) {
      return new KeyLine(k.getKid(), parse(k.getCreatedAt()), parse(k.getActivateAt()),
          parse(k.getRetireAt()), parse(k.getRemoveAt()), parse(k.getRevokedAt()));
    }

    static KeyLine of(ManagedKey k) {
      return new KeyLine(k.kid(), k.createdAt(), k.activateAt(), k.retireAt(), k.removeAt(), k.revokedAt());
    }

    private static Instant parse(String s) {
      return s == null || s.isBlank() ? null : Instant.parse(s);
    }

    char at(Instant t) {
      if (t.isBefore(published)) {
        return ' ';
      }
      if (revoked != null && !t.isBefore(revoked)) {
        return ' ';
      }
      if (activate != null && t.isBefore(activate)) {
        return '-';
      }
      if (retire == null || t.isBefore(retire)) {
        return '=';
      }
      if (remove == null || t.isBefore(remove)) {
        return '~';
      }
      return ' ';
    }
  }

  private TimelineView() {}

  /** The axis spans the keys' instants and now, with a little room after the last one. */
  static String render(List<KeyLine> keys, Instant now) {
    if (keys.isEmpty()) {
      return "no keys yet\n";
    }
    Instant from = now;
    Instant to = now;
    for (KeyLine k : keys) {
      for (Instant t : new Instant[] {k.published(), k.activate(), k.retire(), k.remove(), k.revoked()}) {
        if (t != null) {
          from = t.isBefore(from) ? t : from;
          to = t.isAfter(to) ? t : to;
        }
      }
    }
    Duration span = Duration.between(from, to);
    to = to.plus(span.dividedBy(10).plusSeconds(1));
    return render(keys, now, from, to);
  }

  static String render(List<KeyLine> keys, Instant now, Instant from, Instant to) {
    List<KeyLine> sorted = new ArrayList<>(keys);
    sorted.sort(Comparator.comparing(KeyLine::published).thenComparing(KeyLine::kid));
    Duration step = Duration.between(from, to).dividedBy(WIDTH);
    if (step.isZero()) {
      step = Duration.ofMillis(1);
    }
    int nowColumn = (int) Math.min(WIDTH, Math.max(-1,
        Math.floorDiv(Duration.between(from, now).toMillis(), step.toMillis())));
    int label = 14;
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-" + label + "s%s .. %s (%s per column)%n", "", from, to,
        Durations.format(step.withNanos(step.getNano() / 1_000_000 * 1_000_000))));
    StringBuilder marker = new StringBuilder(" ".repeat(label));
    for (int c = 0; c < WIDTH; c++) {
      marker.append(c == nowColumn ? '|' : ' ');
    }
    out.append(marker.toString().stripTrailing()).append(nowColumn >= 0 && nowColumn < WIDTH ? " now" : "")
        .append('\n');
    for (KeyLine k : sorted) {
      StringBuilder row = new StringBuilder(String.format("%-" + label + "s", shortKid(k.kid())));
      for (int c = 0; c < WIDTH; c++) {
        Instant t = from.plus(step.multipliedBy(c)).plus(step.dividedBy(2));
        char ch = k.at(t);
        if (k.revoked() != null && !t.isBefore(k.revoked()) && t.isBefore(k.revoked().plus(step))) {
          ch = 'x';
        }
        if (c == nowColumn && ch == ' ') {
          ch = '|';
        }
        row.append(ch);
      }
      out.append(row.toString().stripTrailing()).append('\n');
    }
    out.append("legend: - published  = active (signs)  ~ retired (still verifies)  x revoked  | now\n\n");
    Table t = new Table("KID", "PUBLISHED", "ACTIVE FROM", "RETIRES", "LEAVES JWKS", "REVOKED");
    for (KeyLine k : sorted) {
      t.row(k.kid(), at(k.published(), now), at(k.activate(), now), at(k.retire(), now),
          at(k.remove(), now), at(k.revoked(), now));
    }
    out.append(t.render(""));
    return out.toString();
  }

  private static String at(Instant t, Instant now) {
    return t == null ? "-" : t + " (" + Times.relative(t, now) + ")";
  }

  static String shortKid(String kid) {
    return kid.length() <= 12 ? kid : kid.substring(0, 11) + "…";
  }
}
