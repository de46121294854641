package io.macp.issuer.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON line per mint decision to the logger {@code macp.audit} (logback sends it
 * through an async appender, so the request thread only enqueues).
 */
public final class MintAudit {
  public static final String LOGGER_NAME = "macp.audit";

  private final Logger log;

  public MintAudit() {
    this(LoggerFactory.getLogger(LOGGER_NAME));
  }

  MintAudit(Logger log) {
    this.log = log;
  }

  public void record(MintAuditRecord record) {
    if (log.isInfoEnabled()) {
      log.info(record.toJson());
    }
  }
}
