package io.macp.issuer.http;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit trail's appender (logback.xml): logback's {@link AsyncAppender} that never blocks and
 * counts what it drops. A mint only enqueues its line; when the queue is full (a slow log sink, a
 * flood) the line is dropped and counted in {@code macp_issuer_audit_dropped_total} rather than
 * making every mint wait for the sink. Configure it with {@code neverBlock=true} and
 * {@code discardingThreshold=0} (logback's default threshold silently drops INFO lines, which all
 * audit lines are, from 80% full).
 */
public final class AuditAppender extends AsyncAppender {
  private static final AtomicLong DROPPED = new AtomicLong();

  /** Audit lines dropped since the JVM started, by every instance of this appender. */
  public static long dropped() {
    return DROPPED.get();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (!isStarted()) {
      return;
    }
    // With neverBlock the queue's offer drops silently: count the drop here instead. Two threads
    // racing for the last slot may drop one line uncounted; the count is never too high.
    if (getRemainingCapacity() == 0) {
      DROPPED.incrementAndGet();
      return;
    }
    super.append(event);
  }
}
