package io.hookwire.delivery;

import io.hookwire.core.Ids;
import io.hookwire.core.RetrySchedule;
import io.hookwire.security.SecretBox;
import io.hookwire.signing.Signer;
import io.hookwire.store.AttemptRecord;
import io.hookwire.store.Claim;
import io.hookwire.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery pipeline, all of it here: <b>claim</b> due payloads from the store under a lease,
 * <b>batch</b> them per webhook, <b>sign</b>, <b>send</b>, decide the <b>outcome</b> (delivered,
 * retry at, gave up) and <b>record</b> it with the log entry.
 *
 * <p>Requests run on virtual threads. A webhook has at most {@code concurrencyPerWebhook} requests
 * on the wire, started in the order its payloads were claimed, and {@link #ROUNDS_AHEAD} times that
 * claimed; a webhook at its limit is left out of the next claim, so one slow or failing endpoint
 * never holds up the others.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /**
   * Payloads per claim statement at most. 256: a claim's cost grows with the rows it scans and
   * locks (four times this), and one webhook takes at most {@code ROUNDS_AHEAD × concurrency} of
   * them; several claims of 256 beat one of 1,000 on both stores (docs/performance.md).
   */
  public static final int CLAIM_BATCH = 256;

  /** Payloads claimed and not yet recorded, per node, at most. */
  public static final int MAX_IN_FLIGHT = 4_096;

  /** Settings of the pipeline. */
  public record Settings(
      RetrySchedule retrySchedule,
      int concurrencyPerWebhook,
      int maxInFlight,
      int claimBatch,
      Duration lease,
      Duration pollInterval) {}

  /**
   * 8 rounds: at the default 5 s timeout a fully stalled webhook works through its claimed requests
   * in 40 s, inside the shortest lease (60 s + 4 timeouts), so nothing it holds is sent twice by
   * another node while it waits.
   */
  static final int ROUNDS_AHEAD = 8;

  private final Store store;
  private final OkHttpSender sender;
  private final SecretBox secrets;
  private final Clock clock;
  private final Settings settings;
  private final Recorder recorder;
  private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final Map<String, String> openedSecrets = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Semaphore wakeUp = new Semaphore(0);
  private final Thread loop;
  private final Timer requestTime;
  private final Map<Class<? extends Outcome>, Counter> outcomes;
  private volatile boolean running = true;

  public Dispatcher(
      Store store,
      OkHttpSender sender,
      SecretBox secrets,
      Clock clock,
      Settings settings,
      MeterRegistry metrics) {
    this.store = store;
    this.sender = sender;
    this.secrets = secrets;
    this.clock = clock;
    this.settings = settings;
    this.requestTime =
        Timer.builder("hookwire.delivery.request")
            .description("Time from sending a delivery to its response or failure")
            .register(metrics);
    this.outcomes =
        Map.of(
            Outcome.Delivered.class, outcomeCounter(metrics, "delivered"),
            Outcome.RetryAt.class, outcomeCounter(metrics, "retry"),
            Outcome.GaveUp.class, outcomeCounter(metrics, "failed"));
    metrics.gauge("hookwire.payloads.in.flight", inFlight);
    this.recorder =
        new Recorder(
            store,
            recorded -> {
              inFlight.addAndGet(-recorded);
              wake();
            });
    this.loop = Thread.ofPlatform().name("hookwire-dispatcher").daemon().start(this::run);
  }

  private static Counter outcomeCounter(MeterRegistry metrics, String outcome) {
    return Counter.builder("hookwire.deliveries")
        .description("Payload delivery attempts by what became of the payload")
        .tag("outcome", outcome)
        .register(metrics);
  }

  /** Something may be due now: a publish, an enable, a resend. */
  public void wake() {
    wakeUp.release();
  }

  private void run() {
    while (running) {
      try {
        int claimed = claimAndDispatch();
        if (claimed < settings.claimBatch()) {
          wakeUp.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
          wakeUp.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("claiming payloads failed; trying again", e);
        try {
          Thread.sleep(settings.pollInterval().toMillis() * 10);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** One turn of the pipeline's front half: claim, batch, hand each batch to a request. */
  int claimAndDispatch() {
    int room = Math.min(settings.claimBatch(), settings.maxInFlight() - inFlight.get());
    if (room <= 0) {
      return 0;
    }
    // Only this thread creates lanes, so an idle one (nothing claimed, no worker) can go: a
    // webhook that sends again gets a new one.
    lanes.values().removeIf(Lane::isIdle);
    Set<String> busy =
        lanes.entrySet().stream()
            .filter(e -> e.getValue().claimed.get() >= claimedPerWebhook())
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    Instant now = clock.instant();
    List<Claim> claims =
        store.claim(room, claimedPerWebhook(), busy, now, now.plus(settings.lease()));
    inFlight.addAndGet(claims.size());
    for (List<Claim> batch : batches(claims)) {
      lanes.computeIfAbsent(batch.get(0).webhookId(), id -> new Lane()).submit(batch);
    }
    return claims.size();
  }

  /**
   * Requests a webhook may have claimed at once: {@link #ROUNDS_AHEAD} rounds of its concurrency,
   * so its lane stays fed between claims while the claim, send and record round trips overlap.
   */
  private int claimedPerWebhook() {
    return ROUNDS_AHEAD * settings.concurrencyPerWebhook();
  }

  /** Consecutive claims of one webhook, in groups of its batch size, oldest first. */
  static List<List<Claim>> batches(List<Claim> claims) {
    Map<String, List<Claim>> byWebhook = new LinkedHashMap<>();
    for (Claim c : claims) {
      byWebhook.computeIfAbsent(c.webhookId(), id -> new ArrayList<>()).add(c);
    }
    List<List<Claim>> batches = new ArrayList<>();
    for (List<Claim> ofWebhook : byWebhook.values()) {
      int size = Math.max(1, ofWebhook.get(0).batchSize());
      for (int i = 0; i < ofWebhook.size(); i += size) {
        batches.add(List.copyOf(ofWebhook.subList(i, Math.min(i + size, ofWebhook.size()))));
      }
    }
    return batches;
  }

  /** The pipeline's back half for one request: sign, send, decide, record. */
  private void deliver(List<Claim> batch) {
    Claim first = batch.get(0);
    List<AttemptRecord> records;
    try {
      Instant sentAt = clock.instant();
      List<String> envelopes =
          batch.stream()
              .map(c -> Envelope.of(c.event(), c.eventCreated(), c.webhookId(), c.data()))
              .toList();
      byte[] body = Envelope.body(envelopes, first.batchSize() > 1);
      String payloadIds = batch.stream().map(Claim::payloadId).collect(Collectors.joining(","));
      Response response;
      try {
        Map<String, String> headers =
            Signer.headers(
                secretsOf(first, sentAt), messageId(batch), sentAt.getEpochSecond(), body);
        headers.put("X-Oktopost-Webhook", first.webhookId());
        headers.put("X-Oktopost-Payload", payloadIds);
        response = sender.post(first.url(), headers, body);
      } catch (SecretBox.UnreadableSecretException e) {
        // Logged as an attempt, so the webhook's log says why nothing arrives, and retried on
        // the schedule; a resend after the key is fixed delivers what gave up meanwhile.
        log.error("webhook {}: {}", first.webhookId(), e.getMessage());
        response = new Response(0, e.getMessage(), null, 0);
      }
      log.debug(
          "webhook {} payloads {}: answered {} in {} µs{}",
          first.webhookId(),
          payloadIds,
          response.code(),
          response.micros(),
          response.error() == null ? "" : " (" + response.error() + ")");

      Instant now = clock.instant();
      RetrySchedule schedule =
          first.retrySchedule().map(RetrySchedule::parse).orElse(settings.retrySchedule());
      records = new ArrayList<>(batch.size());
      for (Claim c : batch) {
        Outcome outcome = Outcome.after(response.isSuccess(), c.attempt(), schedule, now);
        records.add(record(c, sentAt, response, outcome, now));
        outcomes.get(outcome.getClass()).increment();
      }
      requestTime.record(response.micros(), TimeUnit.MICROSECONDS);
    } catch (RuntimeException e) {
      // A bug or a secret that no longer decrypts: the lease expires and the payload is retried.
      log.error("delivering {} payloads of webhook {} failed", batch.size(), first.webhookId(), e);
      inFlight.addAndGet(-batch.size());
      return;
    }
    recorder.add(records);
  }

  private static AttemptRecord record(
      Claim c, Instant sentAt, Response response, Outcome outcome, Instant now) {
    String state;
    Instant dueAt;
    switch (outcome) {
      case Outcome.Delivered d -> {
        state = "delivered";
        dueAt = now;
      }
      case Outcome.RetryAt r -> {
        state = "pending";
        dueAt = r.at();
      }
      case Outcome.GaveUp g -> {
        state = "failed";
        dueAt = now;
      }
    }
    return new AttemptRecord(
        c.accountId(),
        c.payloadId(),
        c.webhookId(),
        Ids.LOG.next(),
        c.attempt(),
        sentAt,
        response.code(),
        response.micros(),
        response.error(),
        response.body(),
        state,
        dueAt);
  }

  /** The current secret, then the previous one while its rotation grace period lasts. */
  private List<String> secretsOf(Claim c, Instant now) {
    String context = c.accountId() + "/" + c.webhookId();
    String current = open(c.secretSealed(), context);
    if (c.previousSecretSealed().isPresent()
        && c.previousSecretUntil().map(now::isBefore).orElse(false)) {
      return List.of(current, open(c.previousSecretSealed().get(), context));
    }
    return List.of(current);
  }

  private String open(String sealed, String context) {
    if (openedSecrets.size() > 100_000) {
      openedSecrets.clear();
    }
    return openedSecrets.computeIfAbsent(sealed, s -> secrets.open(s, context));
  }

  /**
   * The Standard Webhooks message id: the payload id for a single payload, a digest of the ids for
   * a batch, so a retry of the same request keeps its id and a different batch gets another.
   */
  static String messageId(List<Claim> batch) {
    if (batch.size() == 1) {
      return batch.get(0).payloadId();
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Claim c : batch) {
        sha.update(c.payloadId().getBytes(StandardCharsets.US_ASCII));
      }
      return "batch_" + HexFormat.of().formatHex(sha.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One webhook's requests. Claimed batches queue here and at most {@code concurrencyPerWebhook}
   * workers take them in the order they were claimed, oldest first: a webhook allowed one request
   * at a time gets its payloads in order (held payloads released by an enable, for one).
   */
  private final class Lane {
    private final Queue<List<Claim>> waiting = new ConcurrentLinkedQueue<>();

    /** Batches waiting or on the wire. */
    final AtomicInteger claimed = new AtomicInteger();

    private final AtomicInteger workers = new AtomicInteger();

    boolean isIdle() {
      return claimed.get() == 0 && workers.get() == 0;
    }

    void submit(List<Claim> batch) {
      claimed.incrementAndGet();
      waiting.add(batch);
      startWorkerIfNeeded();
    }

    private void startWorkerIfNeeded() {
      while (running && !waiting.isEmpty()) {
        int n = workers.get();
        if (n >= settings.concurrencyPerWebhook()) {
          return;
        }
        if (workers.compareAndSet(n, n + 1)) {
          try {
            requests.execute(this::work);
          } catch (RejectedExecutionException e) {
            // Shutting down: the batch's lease expires and it is sent again later.
            workers.decrementAndGet();
          }
          return;
        }
      }
    }

    private void work() {
      try {
        List<Claim> batch;
        while (running && (batch = waiting.poll()) != null) {
          try {
            deliver(batch);
          } finally {
            claimed.decrementAndGet();
          }
        }
      } finally {
        workers.decrementAndGet();
      }
      // A batch queued while this worker was leaving would otherwise wait for the next one.
      startWorkerIfNeeded();
    }
  }

  /**
   * Batches claimed but never sent go back to the store at once, so that another node (or this one
   * after a restart) sends them without waiting for their lease to end.
   */
  private void releaseUnsent() {
    List<Claim> unsent = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      for (List<Claim> batch; (batch = lane.waiting.poll()) != null; ) {
        unsent.addAll(batch);
      }
    }
    try {
      store.release(unsent, clock.instant());
    } catch (RuntimeException e) {
      log.warn("could not release {} unsent payloads; their leases will expire", unsent.size(), e);
    }
  }

  /** Stops claiming, lets requests on the wire finish, records them, and stops. */
  @Override
  public void close() {
    running = false;
    loop.interrupt();
    requests.shutdown();
    try {
      if (!requests.awaitTermination(10, TimeUnit.SECONDS)) {
        requests.shutdownNow();
      }
      loop.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    releaseUnsent();
    recorder.close();
  }
}
