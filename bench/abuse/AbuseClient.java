import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The abuse benchmark's client (run by bench/issuer-abuse.sh with the JDK's source launcher, no
 * dependencies). Against ONE issuer on 127.0.0.1, phase by phase, it runs an attack while a
 * legitimate client mints with a valid SharedSecret token and a verifier fetches the JWKS from
 * the public port, and prints one result line per phase:
 *
 * <pre>
 * PHASE name=.. attack_requests=.. mint_ok=.. mint_total=.. mint_p50_ms=.. mint_p99_ms=..
 *   jwks_ok=.. jwks_total=.. jwks_p99_ms=.. rss_max_mib=.. audit_bytes=.. audit_lines=..
 *   unauth_lines=.. audit_bytes_per_unauth=..
 * </pre>
 *
 * Phases: baseline (no attack); slow-body (CONNECTIONS connections, each sending a mint's headers
 * without credentials then one body byte every 5 s, reconnecting 100 ms after the issuer closes
 * it); amplification (64 KiB bodies whose scopes are {@code "kN":1e9999}, no credentials, from
 * FLOOD_THREADS threads); unauthenticated (small valid mint bodies without credentials, as fast
 * as FLOOD_THREADS threads can). Attackers connect from 127.0.0.2..127.0.0.11 (so the
 * per-address connection bound is not what stops them); the legitimate client and the verifier
 * from 127.0.0.1. Every phase lasts SECONDS; every socket is to 127.0.0.1.
 *
 * <p>Arguments: mintPort publicPort token issuerPid auditLogFile seconds connections
 * floodThreads [phases, comma-separated].
 */
public final class AbuseClient {
  static int mintPort;
  static int publicPort;
  static String token;
  static long pid;
  static Path auditLog;
  static int seconds;
  static int connections;
  static int floodThreads;

  static final String SMALL_BODY = "{\"sender\":\"agent://bench/legit\",\"ttl_seconds\":60}";

  public static void main(String[] args) throws Exception {
    mintPort = Integer.parseInt(args[0]);
    publicPort = Integer.parseInt(args[1]);
    token = args[2];
    pid = Long.parseLong(args[3]);
    auditLog = Path.of(args[4]);
    seconds = Integer.parseInt(args[5]);
    connections = Integer.parseInt(args[6]);
    floodThreads = Integer.parseInt(args[7]);
    List<String> phases = args.length > 8
        ? Arrays.asList(args[8].split(","))
        : List.of("baseline", "slow-body", "amplification", "unauthenticated");
    warmUp();
    for (String phase : phases) {
      runPhase(phase);
      Thread.sleep(2000); // let the issuer settle between phases
    }
  }

  /** 10 s of legitimate traffic at full speed first, unreported: the JIT compiles the paths. */
  static void warmUp() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 2; i++) {
      pool.submit(() -> legitMints(stop, new Stats(), 1000));
      pool.submit(() -> verifier(stop, new Stats(), 1000));
    }
    Thread.sleep(10_000);
    stop.set(true);
    pool.shutdownNow();
    Thread.sleep(1000);
  }

  static void runPhase(String name) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder attackRequests = new LongAdder();
    long auditStart = Files.size(auditLog);
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    AtomicLong rssMax = new AtomicLong();
    pool.submit(() -> sampleRss(stop, rssMax));
    switch (name) {
      case "baseline" -> { }
      case "slow-body" -> {
        for (int i = 0; i < connections; i++) {
          int n = i;
          pool.submit(() -> slowBody(stop, n, attackRequests));
        }
      }
      case "amplification" -> {
        String body = amplificationBody();
        for (int i = 0; i < floodThreads; i++) {
          int n = i;
          pool.submit(() -> flood(stop, n, body, attackRequests));
        }
      }
      case "unauthenticated" -> {
        for (int i = 0; i < floodThreads; i++) {
          int n = i;
          pool.submit(() -> flood(stop, n, SMALL_BODY, attackRequests));
        }
      }
      default -> throw new IllegalArgumentException("unknown phase " + name);
    }
    Thread.sleep(1000); // the attack is under way before measuring
    Stats mint = new Stats();
    Stats jwks = new Stats();
    pool.submit(() -> legitMints(stop, mint, 20));
    pool.submit(() -> verifier(stop, jwks, 20));
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    pool.shutdownNow();
    Thread.sleep(1500); // audit lines of the last requests reach the log
    long auditEnd = Files.size(auditLog);
    long[] lines = auditLines(auditStart, auditEnd);
    long auditBytes = auditEnd - auditStart;
    System.out.printf(Locale.ROOT,
        "PHASE name=%s attack_requests=%d mint_ok=%d mint_total=%d mint_p50_ms=%.1f "
            + "mint_p99_ms=%.1f jwks_ok=%d jwks_total=%d jwks_p99_ms=%.1f rss_max_mib=%.1f "
            + "audit_bytes=%d audit_lines=%d unauth_lines=%d unauth_bytes=%d "
            + "audit_bytes_per_unauth=%.0f%n",
        name, attackRequests.sum(), mint.ok.sum(), mint.total.sum(), mint.percentile(50),
        mint.percentile(99), jwks.ok.sum(), jwks.total.sum(), jwks.percentile(99),
        rssMax.get() / 1024.0, auditBytes, lines[0], lines[1], lines[2],
        lines[1] == 0 ? 0.0 : (double) lines[2] / lines[1]);
  }

  /** Latencies in microseconds, and counts. */
  static final class Stats {
    final ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
    final LongAdder ok = new LongAdder();
    final LongAdder total = new LongAdder();

    void record(boolean success, long startNanos) {
      total.increment();
      if (success) {
        ok.increment();
      }
      micros.add((System.nanoTime() - startNanos) / 1000);
    }

    double percentile(int p) {
      long[] all = micros.stream().mapToLong(Long::longValue).sorted().toArray();
      if (all.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p / 100.0 * all.length) - 1;
      return all[Math.max(0, Math.min(all.length - 1, i))] / 1000.0;
    }
  }

  static void legitMints(AtomicBoolean stop, Stats stats, int perSecond) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + mintPort + "/tokens"))
        .timeout(Duration.ofSeconds(2))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(SMALL_BODY)).build();
    paced(stop, stats, client, request, perSecond);
  }

  static void verifier(AtomicBoolean stop, Stats stats, int perSecond) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + publicPort + "/.well-known/jwks.json"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    paced(stop, stats, client, request, perSecond);
  }

  /** One request every {@code 1000 / perSecond} ms (a steady client, not a load generator). */
  static void paced(AtomicBoolean stop, Stats stats, HttpClient client, HttpRequest request,
      int perSecond) {
    long interval = 1_000_000_000L / perSecond;
    long next = System.nanoTime();
    while (!stop.get()) {
      long t0 = System.nanoTime();
      boolean ok;
      try {
        ok = client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
      } catch (IOException e) {
        ok = false;
      } catch (InterruptedException e) {
        return;
      }
      if (stop.get()) {
        return; // a request cut short by the end of the phase is not counted
      }
      stats.record(ok, t0);
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      } else {
        next = System.nanoTime();
      }
    }
  }

  static InetAddress attacker(int n) throws IOException {
    return InetAddress.getByName("127.0.0." + (2 + n % 10));
  }

  /** Headers without credentials, then one body byte every 5 s; reconnects when closed. */
  static void slowBody(AtomicBoolean stop, int n, LongAdder requests) {
    byte[] head = ("POST /tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: 65000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    while (!stop.get()) {
      try (Socket s = new Socket()) {
        s.bind(new InetSocketAddress(attacker(n), 0));
        s.connect(new InetSocketAddress("127.0.0.1", mintPort), 2000);
        OutputStream out = s.getOutputStream();
        out.write(head);
        out.flush();
        requests.increment();
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (!stop.get()) {
          try {
            if (in.read(buf) < 0) {
              break; // the issuer closed it
            }
          } catch (java.net.SocketTimeoutException e) {
            out.write(' ');
            out.flush();
          }
        }
      } catch (IOException e) {
        // closed or refused: reconnect
      }
      sleep(100);
    }
  }

  /** Closed-loop POST /tokens without credentials on a keep-alive raw connection. */
  static void flood(AtomicBoolean stop, int n, String body, LongAdder requests) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST /tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    while (!stop.get()) {
      try (Socket s = new Socket()) {
        s.bind(new InetSocketAddress(attacker(n), 0));
        s.connect(new InetSocketAddress("127.0.0.1", mintPort), 2000);
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        while (!stop.get()) {
          out.write(head);
          out.write(bytes);
          out.flush();
          requests.increment();
          if (!readResponse(in)) {
            break;
          }
        }
      } catch (IOException e) {
        // closed by the issuer (it does not read bodies it refuses): reconnect
      }
    }
  }

  /** Reads one response (headers + Content-Length body); false when the connection closed. */
  static boolean readResponse(InputStream in) throws IOException {
    StringBuilder headers = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      headers.append((char) c);
      if (headers.length() >= 4 && headers.substring(headers.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    if (c < 0) {
      return false;
    }
    String h = headers.toString().toLowerCase(Locale.ROOT);
    int i = h.indexOf("content-length:");
    int length = i < 0 ? 0 : Integer.parseInt(h.substring(i + 15, h.indexOf('\r', i)).trim());
    in.readNBytes(length);
    return !h.contains("connection: close");
  }

  static String amplificationBody() {
    StringBuilder b = new StringBuilder("{\"sender\":\"agent://bench/x\",\"scopes\":{");
    for (int i = 0; b.length() < 65_400; i++) {
      b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1e9999");
    }
    return b.append("}}").toString();
  }

  static void sampleRss(AtomicBoolean stop, AtomicLong maxKib) {
    Path status = Path.of("/proc/" + pid + "/status");
    while (!stop.get()) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmRSS:")) {
            long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
            maxKib.accumulateAndGet(kib, Math::max);
          }
        }
      } catch (IOException e) {
        return; // the issuer is gone
      }
      sleep(200);
    }
  }

  /** {lines, unauthenticated lines, bytes of unauthenticated lines} in the log's new part. */
  static long[] auditLines(long from, long to) throws IOException {
    long lines = 0;
    long unauth = 0;
    long unauthBytes = 0;
    try (RandomAccessFile f = new RandomAccessFile(auditLog.toFile(), "r")) {
      f.seek(from);
      byte[] rest = new byte[(int) Math.min(Integer.MAX_VALUE - 8, to - from)];
      f.readFully(rest);
      int start = 0;
      for (int i = 0; i < rest.length; i++) {
        if (rest[i] == '\n') {
          String line = new String(rest, start, i - start, StandardCharsets.UTF_8);
          if (line.startsWith("{\"time\"") && line.contains("\"event\":\"mint\"")) {
            lines++;
            if (line.contains("\"outcome\":\"unauthenticated\"")) {
              unauth++;
              unauthBytes += line.length() + 1;
            }
          }
          start = i + 1;
        }
      }
    }
    return new long[] {lines, unauth, unauthBytes};
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
