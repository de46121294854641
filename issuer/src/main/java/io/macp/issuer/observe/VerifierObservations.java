package io.macp.issuer.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded table of the clients that fetched this replica's JWKS: per client (source address +
 * User-Agent, {@link VerifierClient}) the last fetch, the one before it and the kids of the JWKS
 * it got. At most
 * {@code maxClients} entries; when a new client would exceed it, the one that fetched least
 * recently is evicted (LRU) and counted. Memory is bounded by {@code maxClients} times one entry
 * (two strings of at most 64 and 160 characters, two instants, an ETag and a shared kid set): about 0.5 KiB per
 * client, measured by bench/verifier-observation.sh.
 *
 * <p>The lock is held only for one map update, O(1). Thread-safe.
 */
public final class VerifierObservations {
  private final int maxClients;
  private final Duration activeWindow;
  private final LongAdder evictions = new LongAdder();
  private final LinkedHashMap<VerifierClient, VerifierFetch> table;

  /**
   * @param maxClients at most this many clients are remembered (at least 1)
   * @param activeWindow a client counts as active while its last fetch is younger than this: two
   *     verifier cache TTLs (2×C), so a client that refreshes every C is never missed between two
   *     fetches
   */
  public VerifierObservations(int maxClients, Duration activeWindow) {
    if (maxClients < 1) {
      throw new IllegalArgumentException("maxClients must be at least 1, got " + maxClients);
    }
    this.maxClients = maxClients;
    this.activeWindow = activeWindow;
    this.table = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<VerifierClient, VerifierFetch> eldest) {
        if (size() > VerifierObservations.this.maxClients) {
          evictions.increment();
          return true;
        }
        return false;
      }
    };
  }

  /** Records that {@code client} now holds the JWKS {@code etag} with {@code kids}. */
  public void observe(VerifierClient client, Instant at, String etag, Set<String> kids) {
    synchronized (table) {
      VerifierFetch previous = table.get(client);
      long fetches = previous == null ? 1 : previous.fetches() + 1;
      // the fetch before, for the client's refresh interval; two at the same instant are one
      Instant before = previous == null ? null
          : previous.lastFetch().isBefore(at) ? previous.lastFetch() : previous.previousFetch();
      // the map keeps its first key: the entry shares it, so one client's strings are held once
      VerifierClient kept = previous == null ? client : previous.client();
      table.put(kept, new VerifierFetch(kept, at, before, etag, kids, fetches));
    }
  }

  /** Every remembered client, the most recent fetch last. */
  public List<VerifierFetch> snapshot() {
    synchronized (table) {
      return new ArrayList<>(table.values());
    }
  }

  /** Clients whose last fetch is younger than the active window at {@code now}. */
  public List<VerifierFetch> activeAt(Instant now) {
    Instant since = now.minus(activeWindow);
    List<VerifierFetch> out = new ArrayList<>();
    for (VerifierFetch f : snapshot()) {
      if (f.lastFetch().isAfter(since)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * For each kid in {@code kids}: how many active clients hold a JWKS containing it (0 when
   * none), in kid order.
   */
  public Map<String, Integer> holdersAt(Instant now, Collection<String> kids) {
    Map<String, Integer> out = new TreeMap<>();
    kids.forEach(k -> out.put(k, 0));
    for (VerifierFetch f : activeAt(now)) {
      for (String kid : f.kids()) {
        out.computeIfPresent(kid, (k, n) -> n + 1);
      }
    }
    return out;
  }

  public int size() {
    synchronized (table) {
      return table.size();
    }
  }

  public int maxClients() {
    return maxClients;
  }

  public Duration activeWindow() {
    return activeWindow;
  }

  /** Clients forgotten because the table was full. */
  public long evictions() {
    return evictions.sum();
  }
}
