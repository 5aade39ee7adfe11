package io.hookwire.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The receiving end of the benchmark: an HTTP server on 127.0.0.1 that answers every POST 200 at
 * once (or, on a route told to, 500 to each payload's first attempt), counts requests and payloads
 * per route, and measures how long each delivery took from its publish by reading the publisher's
 * stamp out of the body.
 *
 * <p>Jetty's core handler API, without servlets and without copying the body more than once: the
 * sink must cost far less than the sender, so the sink limit measures the client stack and the
 * machine, not the sink.
 */
public final class Sink implements AutoCloseable {
  /**
   * The field of the event data that carries the publish time, in nanoseconds of {@link #clock}.
   */
  public static final String STAMP_FIELD = "publishedNanos";

  private static final byte[] STAMP = ("\"" + STAMP_FIELD + "\":").getBytes(StandardCharsets.UTF_8);

  private final Server server;
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
  private final Map<String, Attempts> failingFirstAttempts = new ConcurrentHashMap<>();
  private final BenchClock clock;

  public Sink(BenchClock clock) {
    this.clock = clock;
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("bench-sink");
    threads.setDaemon(true);
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    // Jetty gives each connection a header cache of about 100 KB; fan-out keeps over a thousand
    // connections open, and the memory figure is meant to be the server's, not the sink's.
    http.setHeaderCacheSize(0);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    // Fan-out opens a connection per webhook and request slot: room for all of them at once.
    connector.setAcceptQueueSize(4_096);
    server.addConnector(connector);
    server.setHandler(new Receive());
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the sink", e);
    }
  }

  public String url(String route) {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return "http://127.0.0.1:" + port + route;
  }

  /** The counts of one route: its first path segment, e.g. {@code /fanout} for /fanout/7. */
  public Tally tally(String route) {
    return tallies.computeIfAbsent(route, r -> new Tally());
  }

  /**
   * Makes {@code route} answer 500 to the first attempt of each payload and 200 to every later one,
   * so each payload is retried exactly once, and returns when each attempt arrived.
   */
  public Attempts failFirstAttempts(String route) {
    return failingFirstAttempts.computeIfAbsent(route, r -> new Attempts());
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the sink", e);
    }
  }

  private final class Receive extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(
        Request request, Response response, org.eclipse.jetty.util.Callback done) {
      String route = route(Request.getPathInContext(request));
      Tally tally = tally(route);
      Attempts attempts = failingFirstAttempts.get(route);
      String payloadIds = request.getHeaders().get("X-Oktopost-Payload");
      Content.Source.asByteBuffer(
          request,
          new Promise<>() {
            @Override
            public void succeeded(ByteBuffer body) {
              long now = clock.nanos();
              tally.arrived(now, count(payloadIds), stamp(body));
              boolean first = attempts != null && attempts.arrived(payloadIds, now);
              response.setStatus(first ? 500 : 200);
              response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
              done.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
              done.failed(failure);
            }
          });
      return true;
    }
  }

  static String route(String path) {
    int next = path.indexOf('/', 1);
    return next < 0 ? path : path.substring(0, next);
  }

  private static int count(String payloadIds) {
    if (payloadIds == null || payloadIds.isEmpty()) {
      return 1;
    }
    int n = 1;
    for (int i = 0; i < payloadIds.length(); i++) {
      if (payloadIds.charAt(i) == ',') {
        n++;
      }
    }
    return n;
  }

  /** The first publish stamp in the body, or -1: enough for batches of one, as the bench sends. */
  static long stamp(ByteBuffer body) {
    int limit = body.limit();
    outer:
    for (int i = body.position(); i <= limit - STAMP.length; i++) {
      for (int j = 0; j < STAMP.length; j++) {
        if (body.get(i + j) != STAMP[j]) {
          continue outer;
        }
      }
      long value = 0;
      boolean digits = false;
      for (int k = i + STAMP.length; k < limit; k++) {
        byte b = body.get(k);
        if (b < '0' || b > '9') {
          break;
        }
        value = value * 10 + (b - '0');
        digits = true;
      }
      return digits ? value : -1;
    }
    return -1;
  }

  /** What one route received. */
  public static final class Tally {
    private final LongAdder requests = new LongAdder();
    private final LongAdder payloads = new LongAdder();
    private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    // Microseconds; auto-resizing, so a stalled run shows its real tail instead of overflowing.
    private final Recorder latencyMicros = new Recorder(3);

    void arrived(long nowNanos, int payloadCount, long stampNanos) {
      requests.increment();
      payloads.add(payloadCount);
      first.accumulateAndGet(nowNanos, Math::min);
      last.accumulateAndGet(nowNanos, Math::max);
      if (stampNanos >= 0) {
        latencyMicros.recordValue(Math.max(0, (nowNanos - stampNanos) / 1_000));
      }
    }

    public long requests() {
      return requests.sum();
    }

    public long payloads() {
      return payloads.sum();
    }

    /** When the first request arrived, in nanoseconds of the bench clock; MAX_VALUE if none. */
    public long firstNanos() {
      return first.get();
    }

    public long lastNanos() {
      return last.get();
    }

    /** Publish-to-arrival times recorded since the last call, in microseconds. */
    public Histogram takeLatency() {
      return latencyMicros.getIntervalHistogram();
    }
  }

  /** When each attempt of each payload arrived at a route that fails first attempts. */
  public static final class Attempts {
    private final Map<String, List<Long>> byPayload = new ConcurrentHashMap<>();

    /** Records an attempt of these payloads; true when it is the first of any of them. */
    boolean arrived(String payloadIds, long nowNanos) {
      if (payloadIds == null || payloadIds.isEmpty()) {
        return false;
      }
      boolean first = false;
      for (String id : payloadIds.split(",")) {
        List<Long> times =
            byPayload.compute(
                id,
                (k, before) -> {
                  List<Long> after = new ArrayList<>(before == null ? List.of() : before);
                  after.add(nowNanos);
                  return List.copyOf(after);
                });
        first |= times.size() == 1;
      }
      return first;
    }

    /** Payloads that have had at least {@code attempts} attempts. */
    public long payloadsWithAttempts(int attempts) {
      return byPayload.values().stream().filter(t -> t.size() >= attempts).count();
    }

    /** Each payload's attempts' arrival times, in nanoseconds of the bench clock, in order. */
    public Map<String, List<Long>> byPayload() {
      return Map.copyOf(byPayload);
    }
  }
}
