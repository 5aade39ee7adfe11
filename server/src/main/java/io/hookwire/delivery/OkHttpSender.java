package io.hookwire.delivery;

import io.hookwire.config.Config;
import io.hookwire.security.TargetPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Sends one delivery: a POST that must answer 2xx within the timeout. Redirects are not followed (a
 * 3xx is a failure, and following one could lead past the target policy); connections to each
 * destination are kept alive and reused.
 *
 * <p>Requests on the wire to one destination (host and port) are bounded, whatever the webhooks:
 * the dispatcher bounds each webhook, but 100 webhooks on one host would otherwise hold 1,600
 * connections, and OkHttp's pool scans all of them on every call. A request waits for a place in
 * arrival order for at most one delivery timeout; the wait does not count against the timeout the
 * receiver has to answer. A delivery thus takes at most two timeouts, well inside its lease.
 *
 * <p>The timeout covers the whole exchange and is kept by {@link Deadlines}, not by OkHttp's call,
 * read and write timeouts: those enter and leave okio's one process-wide timeout queue on every
 * call and every socket read and write, and with a few dozen requests on the wire that queue and
 * its lock took a quarter of the delivery path's time (docs/performance.md). Connecting keeps its
 * own timeout, which the socket enforces.
 */
public final class OkHttpSender implements Sender, AutoCloseable {
  /** Enough of a response to see what went wrong; the log keeps no more. */
  public static final int MAX_RESPONSE_BODY = 4096;

  private static final MediaType JSON = MediaType.get("application/json");

  /**
   * Idle connections kept, in destinations' worth: four destinations keep a full set (256
   * connections at the default bound, the pool's size before the bound existed); others connect
   * again when they next send.
   */
  private static final int IDLE_DESTINATIONS = 4;

  private final OkHttpClient client;
  private final TargetPolicy policy;
  private final String userAgent;
  private final int perDestination;
  private final long timeoutNanos;
  private final Deadlines deadlines = new Deadlines();

  /** The destinations with a request waiting or on the wire; an entry leaves with its last. */
  private final Map<String, Destination> destinations = new ConcurrentHashMap<>();

  public OkHttpSender(TargetPolicy policy, Duration timeout, String userAgent) {
    this(
        policy,
        timeout,
        Config.DEFAULT_CONCURRENCY_PER_DESTINATION,
        userAgent,
        Dns.SYSTEM,
        new OkHttpClient.Builder());
  }

  /**
   * With a resolver and client settings of the caller's: tests use it for DNS and TLS.
   *
   * @param perDestination requests on the wire to one host and port at most
   */
  public OkHttpSender(
      TargetPolicy policy,
      Duration timeout,
      int perDestination,
      String userAgent,
      Dns resolver,
      OkHttpClient.Builder builder) {
    if (perDestination < 1) {
      throw new IllegalArgumentException("perDestination must be at least 1");
    }
    this.policy = policy;
    this.userAgent = userAgent;
    this.perDestination = perDestination;
    this.timeoutNanos = timeout.toNanos();
    this.client =
        builder
            .dns(new VettingDns(resolver, policy))
            .socketFactory(new VettingSocketFactory(policy))
            // Environment proxies would connect on our behalf to addresses we never vetted.
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            // Kept by the deadlines instead (see above); zero turns OkHttp's own off.
            .callTimeout(Duration.ZERO)
            .readTimeout(Duration.ZERO)
            .writeTimeout(Duration.ZERO)
            .connectTimeout(timeout)
            .connectionPool(
                new ConnectionPool(perDestination * IDLE_DESTINATIONS, 5, TimeUnit.MINUTES))
            .build();
  }

  @Override
  public Reply post(String url, Map<String, String> headers, byte[] body) {
    long start = System.nanoTime();
    HttpUrl target = HttpUrl.parse(url);
    if (target == null) {
      return new Reply(0, "not a valid URL", null, 0);
    }
    if (!policy.isPermissive() && !target.isHttps()) {
      return new Reply(0, "blocked: only https:// targets are allowed", null, micros(start));
    }
    // Address literals never reach the Dns hook: they are judged here, and once more by the
    // socket factory against the address OkHttp actually reads from them.
    Optional<String> why = policy.whyHostBlocked(target.host());
    if (why.isPresent()) {
      return new Reply(0, "blocked: " + why.get(), null, micros(start));
    }
    Request.Builder request =
        new Request.Builder().url(target).post(RequestBody.create(body, JSON));
    headers.forEach(request::header);
    request.header("User-Agent", userAgent);
    String destination = target.host() + ":" + target.port();
    Destination place = destinations.compute(destination, (d, known) -> enter(known));
    try {
      boolean placed;
      try {
        placed = place.take(System.nanoTime() + timeoutNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Reply(0, "not sent: interrupted while waiting for " + destination, null, 0);
      }
      if (!placed) {
        return new Reply(
            0,
            "timeout: not sent; "
                + destination
                + " had its --concurrency-per-destination ("
                + perDestination
                + ") requests on the wire for the whole delivery timeout",
            null,
            micros(start));
      }
      try {
        return send(request.build());
      } finally {
        place.give();
      }
    } finally {
      leave(destination);
    }
  }

  private Reply send(Request request) {
    // The receiver's time starts now: the wait for a place was ours, not its.
    long sent = System.nanoTime();
    Call call = client.newCall(request);
    deadlines.watch(call, sent + timeoutNanos);
    // Closed before the place is given up, so its connection is back in the pool for the next.
    try (okhttp3.Response response = call.execute()) {
      String text = response.peekBody(MAX_RESPONSE_BODY).string().replace("\u0000", "");
      String error = null;
      if (response.isRedirect()) {
        error = "redirect not followed (Location: " + response.header("Location", "") + ")";
      }
      return new Reply(response.code(), error, text, micros(sent));
    } catch (IOException e) {
      // A call past its deadline is cancelled: its failure is the timeout.
      return new Reply(0, call.isCanceled() ? TIMED_OUT : describe(e), null, micros(sent));
    } finally {
      deadlines.forget(call);
    }
  }

  private static final String TIMED_OUT = "timeout: no response within the delivery timeout";

  /**
   * The calls on the wire and the requests waiting for a place, and when each must end; one thread
   * cancels the calls and expires the waits past it, every {@link #TICK}. Watching one is a put and
   * a remove in a concurrent map, where OkHttp's timeouts take a shared lock several times a call
   * and a timed wait enters the JDK's delay scheduler.
   */
  private static final class Deadlines {
    /**
     * 50 ms: how late past its timeout a call may be cancelled, 1% of the default 5 s; scanning
     * even thousands of calls 20 times a second costs next to nothing.
     */
    static final Duration TICK = Duration.ofMillis(50);

    private final Map<Call, Long> calls = new ConcurrentHashMap<>();
    private final Map<Waiter, Long> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("hookwire-deadlines").daemon().factory());

    Deadlines() {
      ticker.scheduleWithFixedDelay(
          this::cancelLate, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    void watch(Call call, long deadlineNanos) {
      calls.put(call, deadlineNanos);
    }

    void forget(Call call) {
      calls.remove(call);
    }

    void watch(Waiter waiter, long deadlineNanos) {
      waiters.put(waiter, deadlineNanos);
    }

    void forget(Waiter waiter) {
      waiters.remove(waiter);
    }

    private void cancelLate() {
      long now = System.nanoTime();
      calls.forEach(
          (call, deadline) -> {
            if (now - deadline >= 0) {
              call.cancel();
            }
          });
      waiters.forEach(
          (waiter, deadline) -> {
            if (now - deadline >= 0) {
              waiter.expire();
            }
          });
    }

    void close() {
      ticker.shutdownNow();
    }
  }

  /**
   * One destination's places, and how many requests hold or await one. A place freed goes to the
   * oldest waiting request, so no webhook's request is passed over. A request that must wait parks
   * without a timeout and the deadline watch ends a wait that outlasts the delivery timeout, as it
   * ends calls: with a semaphore's timed wait, each of the hundreds of requests waiting in a
   * fan-out to one host entered the JDK's delay scheduler, a tenth of the server's CPU
   * (docs/performance.md).
   */
  private final class Destination {
    private final ReentrantLock lock = new ReentrantLock();

    /** Waiting requests, oldest first; some may have expired. Guarded by {@link #lock}. */
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

    /** Places free; only while nobody waits. Guarded by {@link #lock}. */
    private int free = perDestination;

    /** Guarded by the map's lock on this entry (changed only inside compute). */
    int users;

    /** Takes a place, waiting for one until {@code deadlineNanos} at most; false if none came. */
    boolean take(long deadlineNanos) throws InterruptedException {
      Waiter waiter;
      lock.lock();
      try {
        if (free > 0) {
          free--;
          return true;
        }
        waiter = new Waiter(Thread.currentThread());
        waiting.add(waiter);
      } finally {
        lock.unlock();
      }
      deadlines.watch(waiter, deadlineNanos);
      try {
        return waiter.await();
      } finally {
        deadlines.forget(waiter);
      }
    }

    /** Gives a place back: to the oldest request still waiting, else to the free ones. */
    void give() {
      lock.lock();
      try {
        for (Waiter next; (next = waiting.poll()) != null; ) {
          if (next.grant()) {
            return;
          }
        }
        free++;
      } finally {
        lock.unlock();
      }
    }
  }

  /** A request waiting for a place: granted one, or expired by the deadline watch, once. */
  private static final class Waiter {
    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int EXPIRED = 2;

    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final Thread thread;

    Waiter(Thread thread) {
      this.thread = thread;
    }

    boolean grant() {
      if (state.compareAndSet(WAITING, GRANTED)) {
        LockSupport.unpark(thread);
        return true;
      }
      return false;
    }

    void expire() {
      if (state.compareAndSet(WAITING, EXPIRED)) {
        LockSupport.unpark(thread);
      }
    }

    /** Whether a place was granted; false once the wait expired. */
    boolean await() throws InterruptedException {
      while (state.get() == WAITING) {
        LockSupport.park(this);
        if (Thread.interrupted()) {
          if (state.compareAndSet(WAITING, EXPIRED)) {
            throw new InterruptedException();
          }
          // Granted or expired meanwhile: that is the answer; the interrupt stays pending.
          Thread.currentThread().interrupt();
        }
      }
      return state.get() == GRANTED;
    }
  }

  private Destination enter(Destination known) {
    Destination place = known == null ? new Destination() : known;
    place.users++;
    return place;
  }

  private void leave(String destination) {
    destinations.computeIfPresent(destination, (d, place) -> --place.users == 0 ? null : place);
  }

  /** Destinations with a request waiting or on the wire now; for tests. */
  int busyDestinations() {
    return destinations.size();
  }

  private static String describe(IOException e) {
    Optional<Throwable> blocked = blocked(e, 0);
    if (blocked.isPresent()) {
      return "blocked: " + blocked.get().getMessage();
    }
    if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
      return TIMED_OUT;
    }
    if (e instanceof ConnectException) {
      return "connection refused: " + e.getMessage();
    }
    if (e instanceof java.net.UnknownHostException) {
      return "unknown host: " + e.getMessage();
    }
    if (e instanceof SSLException) {
      return "TLS failed: " + e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /**
   * The refusal among {@code t}, its causes and the failures it suppressed (OkHttp reports one
   * failed route and suppresses the others).
   */
  private static Optional<Throwable> blocked(Throwable t, int depth) {
    if (t == null || depth > 8) {
      return Optional.empty();
    }
    if (t instanceof VettingDns.BlockedTargetException) {
      return Optional.of(t);
    }
    for (Throwable suppressed : t.getSuppressed()) {
      Optional<Throwable> found = blocked(suppressed, depth + 1);
      if (found.isPresent()) {
        return found;
      }
    }
    return blocked(t.getCause(), depth + 1);
  }

  private static long micros(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000;
  }

  @Override
  public void close() {
    deadlines.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
