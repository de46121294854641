package io.macp.cli;

import io.macp.keyset.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Durations as the CRD writes them ("30s", "5m", "24h"), parsed by the project's own parser. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 30s, 5m, 1h");
    }
  }
}
