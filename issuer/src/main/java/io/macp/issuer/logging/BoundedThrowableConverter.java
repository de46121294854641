package io.macp.issuer.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;

/**
 * {@code %boundedEx} in logback.xml: a stack trace whose every line goes through
 * {@link BoundedText} (an exception message may quote a request), at most
 * {@link #MAX_LINE_CHARS} characters per line and {@link #MAX_LINES} lines.
 */
public final class BoundedThrowableConverter extends ThrowableProxyConverter {
  static final int MAX_LINE_CHARS = 512;
  static final int MAX_LINES = 100;

  @Override
  public String convert(ILoggingEvent event) {
    String trace = super.convert(event);
    if (trace == null || trace.isEmpty()) {
      return trace;
    }
    String[] lines = trace.split("\r?\n", -1);
    StringBuilder b = new StringBuilder(Math.min(trace.length(), MAX_LINES * 128));
    int written = 0;
    for (String line : lines) {
      if (line.isEmpty()) {
        continue;
      }
      if (written == MAX_LINES) {
        b.append("\t... [").append(lines.length - written).append(" more lines]")
            .append(CoreConstants.LINE_SEPARATOR);
        break;
      }
      b.append(BoundedText.of(line, MAX_LINE_CHARS)).append(CoreConstants.LINE_SEPARATOR);
      written++;
    }
    return b.toString();
  }
}
