package io.macp.issuer.http;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A total deadline for reading one request body. Jetty's idle timeout restarts with every byte,
 * so a body sent one byte every few seconds would hold a request thread for as long as the client
 * likes; at the deadline the connection is closed, which ends the blocked read with an
 * IOException. Uses the connector's own scheduler: no thread of ours.
 */
final class BodyDeadline {
  private BodyDeadline() {}

  /** A deadline in force; {@link #disarm} once the body is read (or refused). */
  interface Armed {
    void disarm();

    /** Whether the deadline passed and the connection was closed. */
    boolean expired();
  }

  private static final Armed NONE = new Armed() {
    @Override
    public void disarm() {}

    @Override
    public boolean expired() {
      return false;
    }
  };

  static Armed arm(HttpServletRequest req, Duration deadline) {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(req);
    if (request == null) {
      return NONE;
    }
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    Scheduler scheduler = request.getComponents().getScheduler();
    AtomicBoolean expired = new AtomicBoolean();
    Scheduler.Task task = scheduler.schedule(() -> {
      expired.set(true);
      endPoint.close();
    }, deadline);
    return new Armed() {
      @Override
      public void disarm() {
        task.cancel();
      }

      @Override
      public boolean expired() {
        return expired.get();
      }
    };
  }
}
