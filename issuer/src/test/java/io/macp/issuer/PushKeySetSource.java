package io.macp.issuer;

import io.macp.issuer.keys.KeySetListener;
import io.macp.issuer.keys.KeySetSource;
import io.macp.keyset.KeySet;
import java.util.concurrent.atomic.AtomicBoolean;

/** A key source tests push key sets into, as a file watcher would deliver them. */
public final class PushKeySetSource implements KeySetSource {
  private final KeySet initial;
  private volatile KeySetListener listener;
  private final AtomicBoolean closed = new AtomicBoolean();

  public PushKeySetSource(KeySet initial) {
    this.initial = initial;
  }

  @Override
  public String kind() {
    return "file";
  }

  @Override
  public KeySet initial() {
    return initial;
  }

  @Override
  public void watch(KeySetListener listener) {
    this.listener = listener;
  }

  public void push(KeySet next) {
    listener.accepted(next);
  }

  public void reject(String reason) {
    listener.rejected(reason);
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
