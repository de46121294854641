package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The dev cluster's logback.xml, which the in-process issuers log through too, keeps every
 * message on one line: the issuer's startup line once came out split over three raw lines with a
 * NUL in it for {@code spec.issuer: "http://x/\n\u0000evil"}, because this file wrote {@code %msg}
 * while only the issuer's own logback.xml escaped.
 */
class LogLinesTest {
  @Test
  void issuerStartupLineWithNewlineAndNulStaysOneLine() throws Exception {
    LoggerContext context = new LoggerContext();
    String out;
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(getClass().getResource("/logback.xml"));
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      @SuppressWarnings("unchecked")
      Encoder<ILoggingEvent> encoder =
          ((OutputStreamAppender<ILoggingEvent>) root.getAppender("plain")).getEncoder();
      Logger issuer = context.getLogger("io.macp.issuer.IssuerServer");
      LoggingEvent startup = new LoggingEvent(Logger.FQCN, issuer, Level.INFO,
          "MACP issuer listening on {}:{}: issuer={}, audience={}", null,
          new Object[] {"127.0.0.1", 1234, "http://x/\n\u0000evil", "aud\u0000\nX"});
      LoggingEvent failure = new LoggingEvent(Logger.FQCN, issuer, Level.WARN, "failed",
          new IllegalStateException("bad\nheader\u0000"), null);
      out = new String(encoder.encode(startup), StandardCharsets.UTF_8)
          + new String(encoder.encode(failure), StandardCharsets.UTF_8);
    } finally {
      context.stop();
    }
    assertThat(out).doesNotContain("\u0000");
    String[] lines = out.split("\n");
    assertThat(lines[0]).contains(
        "MACP issuer listening on 127.0.0.1:1234: issuer=http://x/\\u000a\\u0000evil,"
            + " audience=aud\\u0000\\u000aX");
    assertThat(lines[1]).contains("failed");
    // a stack trace keeps its lines (each escaped and bounded, as in the issuer's own file)
    assertThat(lines[2]).isEqualTo("java.lang.IllegalStateException: bad");
    assertThat(lines[3]).isEqualTo("header\\u0000");
  }
}
