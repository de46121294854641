package io.macp.issuer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macp.issuer.http.MintAudit;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects the lines written to the {@code macp.audit} logger while a test runs. */
public final class AuditCapture implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Logger logger = (Logger) LoggerFactory.getLogger(MintAudit.LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public AuditCapture() {
    appender.start();
    logger.addAppender(appender);
  }

  public synchronized List<String> lines() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  public JsonNode last() {
    List<String> lines = lines();
    if (lines.isEmpty()) {
      throw new AssertionError("no audit line was written");
    }
    try {
      return JSON.readTree(lines.get(lines.size() - 1));
    } catch (Exception e) {
      throw new AssertionError("audit line is not JSON: " + lines.get(lines.size() - 1), e);
    }
  }

  public void clear() {
    appender.list.clear();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
