package io.macp.issuer.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Per-connection bounds Jetty has no setting for, as a {@link Connection.Listener} added to a
 * connector: at most {@code maxPerAddress} open connections from one source address (more are
 * closed as soon as they open), and a total deadline on request headers (a connection that sends
 * bytes for {@code headerDeadline} without completing a request is closed; Jetty's idle timeout
 * restarts with every byte, so it alone lets one byte every few seconds hold a connection
 * forever). Counts what it closes.
 */
public final class ConnectionGuard implements Connection.Listener {
  private final int maxPerAddress;
  private final Duration headerDeadline;
  private final Scheduler scheduler;
  private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
  private final Map<Connection, Scheduler.Task> checks = new ConcurrentHashMap<>();
  // The address each counted connection was counted under: a closed channel no longer says.
  private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();
  private final AtomicLong overAddressLimit = new AtomicLong();
  private final AtomicLong tooSlow = new AtomicLong();

  public ConnectionGuard(int maxPerAddress, Duration headerDeadline, Scheduler scheduler) {
    this.maxPerAddress = maxPerAddress;
    this.headerDeadline = headerDeadline;
    this.scheduler = scheduler;
  }

  /** Connections closed because their address had too many open. */
  public long closedOverAddressLimit() {
    return overAddressLimit.get();
  }

  /** Open connections counted now (tests). */
  int openConnections() {
    return counted.size();
  }

  /** Connections closed because a request did not arrive within the header deadline. */
  public long closedTooSlow() {
    return tooSlow.get();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof SslConnection) {
      return; // the HTTP connection over it is the one counted, once per TCP connection
    }
    InetAddress address = addressOf(connection.getEndPoint());
    if (address != null) {
      counted.put(connection, address);
      int n = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
      if (n > maxPerAddress) {
        overAddressLimit.incrementAndGet();
        connection.getEndPoint().close();
        return;
      }
    }
    schedule(connection, connection.getMessagesIn(), connection.getBytesIn());
  }

  private void schedule(Connection connection, long messagesBefore, long bytesBefore) {
    Scheduler.Task task = scheduler.schedule(
        () -> check(connection, messagesBefore, bytesBefore), headerDeadline);
    checks.put(connection, task);
  }

  private void check(Connection connection, long messagesBefore, long bytesBefore) {
    EndPoint endPoint = connection.getEndPoint();
    if (!endPoint.isOpen()) {
      checks.remove(connection);
      return;
    }
    long messages = connection.getMessagesIn();
    long bytes = connection.getBytesIn();
    if (messages == messagesBefore && bytes != bytesBefore) {
      // Bytes kept coming for a whole deadline without a request being completed.
      tooSlow.incrementAndGet();
      checks.remove(connection);
      endPoint.close();
      return;
    }
    schedule(connection, messages, bytes);
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof SslConnection) {
      return;
    }
    Scheduler.Task task = checks.remove(connection);
    if (task != null) {
      task.cancel();
    }
    InetAddress address = counted.remove(connection);
    if (address != null) {
      open.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
  }

  private static InetAddress addressOf(EndPoint endPoint) {
    SocketAddress remote = endPoint.getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
