package io.macp.issuer.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %boundedMsg} in logback.xml: the formatted message through {@link BoundedText}, at most
 * {@link BoundedText#MAX_MESSAGE_CHARS} characters on one line, for every logger (Jetty's too).
 */
public final class BoundedMessageConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return BoundedText.of(event.getFormattedMessage(), BoundedText.MAX_MESSAGE_CHARS);
  }
}
