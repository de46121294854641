package io.macp.issuer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macp.issuer.http.MintAudit;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects the lines written to the {@code macp.audit} logger (or another one) while a test runs.
 */
public final class AuditCapture implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public AuditCapture() {
    this(MintAudit.LOGGER_NAME);
  }

  /** Captures an operational logger instead, e.g. {@code IssuerServer.class.getName()}. */
  public AuditCapture(String loggerName) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.start();
    logger.addAppender(appender);
  }

  public List<String> lines() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** The events with their levels. */
  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  /** Every line parsed as JSON (audit lines). */
  public List<JsonNode> parsed() {
    return lines().stream().map(AuditCapture::parse).toList();
  }

  public JsonNode last() {
    List<String> lines = lines();
    if (lines.isEmpty()) {
      throw new AssertionError("no audit line was written");
    }
    return parse(lines.get(lines.size() - 1));
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("audit line is not JSON: " + line, e);
    }
  }

  public void clear() {
    synchronized (appender) {
      appender.list.clear();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
