package io.macp.issuer.bench;

import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import io.macp.issuer.observe.ObserveSettings;
import io.macp.issuer.observe.VerifierClient;
import io.macp.issuer.observe.VerifierObservations;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JWKS throughput with verifier observation off and on, side by side in one JVM and one run
 * (rounds interleaved, so drift in the machine's load hits both alike), and the table's memory at
 * its cap. Not a test: run by bench/verifier-observation.sh. Only 127.0.0.1 traffic.
 *
 * <p>Variants: {@code off} (MACP_AUTH_OBSERVE_MAX_CLIENTS=0), {@code on} (each connection a known
 * client, the steady state) and {@code on-flood} (every request a new User-Agent, so every
 * request inserts and evicts at the cap: the worst case). Clients: plain HTTP/1.1 keep-alive
 * sockets, so the client costs little next to the server.
 *
 * <p>System properties: bench.connections (4), bench.rounds (5), bench.roundSeconds (4),
 * bench.warmupSeconds (5), bench.caps ("4096,65536").
 */
public final class VerifierObservationBench {
  private static final String JWKS = "/.well-known/jwks.json";

  public static void main(String[] args) throws Exception {
    int connections = Integer.getInteger("bench.connections", 4);
    int rounds = Integer.getInteger("bench.rounds", 5);
    int roundSeconds = Integer.getInteger("bench.roundSeconds", 4);
    int warmup = Integer.getInteger("bench.warmupSeconds", 5);
    String caps = System.getProperty("bench.caps", "4096,65536");

    Map<String, IssuerServer> servers = new HashMap<>();
    servers.put("off", start(0));
    servers.put("on", start(ObserveSettings.DEFAULT_MAX_CLIENTS));
    servers.put("on-flood", start(ObserveSettings.DEFAULT_MAX_CLIENTS));
    List<String> variants = List.of("off", "on", "on-flood");
    Map<String, List<Double>> rates = new HashMap<>();
    try {
      for (String v : variants) {
        run(servers.get(v), v.equals("on-flood"), connections, warmup);
      }
      for (int r = 0; r < rounds; r++) {
        for (String v : variants) {
          double rate = run(servers.get(v), v.equals("on-flood"), connections, roundSeconds);
          rates.computeIfAbsent(v, k -> new ArrayList<>()).add(rate);
          System.err.printf("bench: round %d %s %.0f req/s%n", r + 1, v, rate);
        }
      }
    } finally {
      servers.values().forEach(IssuerServer::close);
    }
    double off = median(rates.get("off"));
    double on = median(rates.get("on"));
    double flood = median(rates.get("on-flood"));
    System.out.printf("RESULT jwks_rps_off=%.0f%n", off);
    System.out.printf("RESULT jwks_rps_on=%.0f%n", on);
    System.out.printf("RESULT jwks_rps_on_flood=%.0f%n", flood);
    System.out.printf("RESULT ratio_on_over_off=%.3f%n", on / off);
    System.out.printf("RESULT ratio_on_flood_over_off=%.3f%n", flood / off);
    // Each round runs the variants back to back: the median of the per-round ratios cancels the
    // machine's drift between rounds better than the ratio of the medians.
    System.out.printf("RESULT paired_ratio_on_over_off=%.3f%n",
        median(pairedRatios(rates.get("on"), rates.get("off"))));
    System.out.printf("RESULT paired_ratio_on_flood_over_off=%.3f%n",
        median(pairedRatios(rates.get("on-flood"), rates.get("off"))));
    System.out.printf("RESULT rounds=%d round_seconds=%d connections=%d%n",
        rounds, roundSeconds, connections);
    for (String c : caps.split(",")) {
      int cap = Integer.parseInt(c.strip());
      long bytes = tableBytes(cap);
      System.out.printf("RESULT table_bytes_at_cap_%d=%d (%.0f bytes/client, %.1f MiB)%n",
          cap, bytes, bytes / (double) cap, bytes / 1048576.0);
    }
  }

  private static IssuerServer start(int maxClients) {
    Map<String, String> env = Map.of("PORT", "0", "MACP_AUTH_BIND_ADDRESS", "127.0.0.1",
        "MACP_AUTH_SIGNING_ALG", "ES256");
    IssuerConfig config = IssuerConfig.fromEnv(env);
    config = config.withObserve(new ObserveSettings(maxClients, false, null));
    return IssuerServer.start(config, Clock.systemUTC());
  }

  /** Requests per second over {@code seconds} with {@code connections} keep-alive clients. */
  private static double run(IssuerServer server, boolean flood, int connections, int seconds)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    AtomicLong counter = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      int id = i;
      Thread t = new Thread(() -> {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
          byte[] fixed = request("bench-client-" + id);
          while (!stop.get()) {
            out.write(flood ? request("bench-flood-" + counter.incrementAndGet()) : fixed);
            out.flush();
            readResponse(in);
            done.incrementAndGet();
          }
        } catch (IOException | RuntimeException e) {
          synchronized (errors) {
            errors.add(e);
          }
        }
      });
      t.setDaemon(true);
      threads.add(t);
    }
    long start = System.nanoTime();
    threads.forEach(Thread::start);
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    long n = done.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    for (Thread t : threads) {
      t.join(5000);
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException("client failed", errors.get(0));
    }
    return n / elapsed;
  }

  private static byte[] request(String userAgent) {
    return ("GET " + JWKS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + userAgent
        + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads one response (status 200 and a Content-Length body), or fails. */
  private static void readResponse(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int length = -1;
    boolean first = true;
    while (true) {
      line.setLength(0);
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      if (first) {
        if (!line.toString().startsWith("HTTP/1.1 200")) {
          throw new IOException("unexpected status: " + line);
        }
        first = false;
      } else if (line.isEmpty()) {
        break;
      } else if (line.toString().regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    if (length < 0) {
      throw new IOException("no Content-Length");
    }
    in.readNBytes(length);
  }

  /**
   * Heap held by a table filled to {@code cap} clients with realistic names, each seen fetching
   * twice (the steady state: its entry then holds a previous fetch too).
   */
  private static long tableBytes(int cap) {
    Set<String> kids = Set.of("kid-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "kid-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    long before = usedAfterGc();
    VerifierObservations table = new VerifierObservations(cap, Duration.ofMinutes(10));
    Instant now = Instant.now();
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < cap; i++) {
        // Fresh strings per client, as parsed requests would give.
        String address = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
        String agent = "macp-runtime/1.4.2 (linux; amd64) java-http-client/21 #" + i;
        String etag = "\"Zk3Jd0aQ2xR7bq9LmN4sT1Uv\"";
        table.observe(new VerifierClient(new String(address), new String(agent)),
            now.plusMillis(pass * (long) cap + i), new String(etag), kids);
      }
    }
    long after = usedAfterGc();
    if (table.size() != cap) {
      throw new IllegalStateException("table not full");
    }
    return after - before;
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best;
  }

  private static List<Double> pairedRatios(List<Double> a, List<Double> b) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i) / b.get(i));
    }
    return out;
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
