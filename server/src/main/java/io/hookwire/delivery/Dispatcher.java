package io.hookwire.delivery;

import io.hookwire.core.AttemptRecord;
import io.hookwire.core.Claim;
import io.hookwire.core.Envelope;
import io.hookwire.core.Ids;
import io.hookwire.core.PayloadState;
import io.hookwire.core.RetrySchedule;
import io.hookwire.security.SecretBox;
import io.hookwire.signing.Signer;
import io.hookwire.store.LiveLeases;
import io.hookwire.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery pipeline, all of it here: payloads reach a webhook's <b>lane</b> either straight
 * from the publish that stored them (leased to this node in the same transaction: {@link
 * #liveLeases}, {@link #handOver}) or by a <b>claim</b> of due payloads from the store under a
 * lease (retries, released holds, what did not fit in the lanes, leases of a node that died); they
 * are <b>batched</b> per webhook, <b>signed</b>, <b>sent</b>, the <b>outcome</b> decided
 * (delivered, retry at, gave up) and <b>recorded</b> with the log entry.
 *
 * <p>Requests run on virtual threads. A webhook has at most {@code concurrencyPerWebhook} requests
 * on the wire, started in the order its payloads reached its lane, and {@link #ROUNDS_AHEAD} times
 * that waiting, or what it was sent in the last {@link #HELD_SENDING} if more (a fast receiver's
 * backlog stays in memory); a webhook whose lane is full is left out of the next claim, so one slow
 * or failing endpoint never holds up the others. A batch whose lease would end before its request
 * could time out is not sent but given back (docs/proposals/0002-lease-at-publish.md).
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /**
   * Payloads per claim statement at most. 256: a claim's cost grows with the rows it locks, and
   * several claims of 256 beat one of 1,000 on both stores (docs/performance.md).
   */
  public static final int CLAIM_LIMIT = 256;

  /**
   * Payloads leased to this node and not yet recorded, at most. 131,072: a fast webhook keeps its
   * backlog in memory (see {@code Lane.capacity()}) instead of in the store, where every payload
   * costs a claim; what they hold in memory is bounded by {@link #MAX_HELD_DATA}.
   */
  public static final int MAX_IN_FLIGHT = 131_072;

  /**
   * Attempts made and waiting for their commit at most, besides the group being committed; past it,
   * the requests that made them wait, so deliveries never run further ahead of the log than this.
   * It bounds what a crash of the node sends twice (attempts made but not recorded are made again
   * when their leases end) and the memory a slow store lets them take. 8,192: four of the
   * recorder's largest groups. Without it, a recorder behind the lanes at 5,000 single events/s on
   * PostgreSQL let tens of thousands of attempts wait, and publishes waited behind its transactions
   * (p99 0.6–5 s instead of 57 ms).
   */
  public static final int MAX_UNRECORDED = 8_192;

  /**
   * Characters of event data the lanes hold at most, 64 Mi: about 64 MB, an eighth of the 512 MB
   * heap Hookwire is measured in (docs/performance.md), whatever size the events are. A payload
   * counts its event's data although the payloads of one event share it.
   */
  static final long MAX_HELD_DATA = 64L * 1024 * 1024;

  /**
   * Settings of the pipeline.
   *
   * @param maxUnrecorded attempts made and not yet committed to the log, at most: past it,
   *     deliveries wait for the recorder (see {@link #MAX_UNRECORDED})
   */
  public record Settings(
      RetrySchedule retrySchedule,
      int concurrencyPerWebhook,
      int maxInFlight,
      int maxUnrecorded,
      int claimLimit,
      Duration lease,
      Duration timeout,
      Duration pollInterval) {}

  /**
   * 32 rounds of a webhook's concurrency may wait in its lane whatever its speed (512 payloads at
   * the default 16): enough that a receiver is fed from memory between claims. A slow one cannot be
   * sent twice because of it: what would wait past its lease is given back unsent.
   */
  static final int ROUNDS_AHEAD = 32;

  /**
   * A lane may also hold what its webhook was sent in the last 2 s, so that a fast receiver's
   * backlog stays in memory: each payload the lanes refuse is written pending and later claimed,
   * which cost the store more than the publish and the record together (docs/performance.md). A
   * slow receiver's lane stays at {@link #ROUNDS_AHEAD} rounds, so slow webhooks cannot fill the
   * node's memory for the others.
   */
  static final Duration HELD_SENDING = Duration.ofSeconds(2);

  private final Store store;
  private final Sender sender;
  private final SecretBox secrets;
  private final Clock clock;
  private final Settings settings;
  private final Recorder recorder;
  private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final Map<Sealed, String> openedSecrets = new ConcurrentHashMap<>();

  private record Sealed(String binding, String value) {}

  private final Counter leasedLive;
  private final Counter leasedByClaim;

  /**
   * Payloads leased to this node (taken at publish or claimed) and not yet recorded or released.
   */
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Characters of event data in the lanes' payloads, waiting or being sent. */
  private final AtomicLong heldData = new AtomicLong();

  /**
   * Payloads taken out of a lane unsent (their lease was about to end, or their webhook changed):
   * the claim loop gives them back to the store.
   */
  private final Queue<Claim> givenBack = new ConcurrentLinkedQueue<>();

  /**
   * When retries that this node knows of come due, epoch ms, earliest first: the claim loop wakes
   * at each. At most {@link #MAX_DUE_TIMES}; past it, polling finds the rest.
   */
  private final ConcurrentSkipListSet<Long> dueTimes = new ConcurrentSkipListSet<>();

  /** Due times kept at most: 10,000 longs, well under a megabyte. */
  private static final int MAX_DUE_TIMES = 10_000;

  /** Whether due payloads may be waiting in the store that the lanes had no room for. */
  private volatile boolean backlog;

  private final Semaphore wakeUp = new Semaphore(0);
  private final Thread loop;
  private final Timer requestTime;
  private final Map<Class<? extends Outcome>, Counter> outcomes;
  private volatile boolean running = true;

  public Dispatcher(
      Store store,
      Sender sender,
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
    this.leasedLive = leasedCounter(metrics, "live");
    this.leasedByClaim = leasedCounter(metrics, "claim");
    metrics.gauge("hookwire.payloads.in.flight", inFlight);
    Gauge.builder("hookwire.payloads.held.data", heldData, AtomicLong::get)
        .description("Characters of event data in this node's lanes, waiting or being sent")
        .register(metrics);
    this.recorder = new Recorder(store, settings.maxUnrecorded(), this::recorded);
    this.loop = Thread.ofPlatform().name("hookwire-dispatcher").daemon().start(this::run);
    store.listen(
        new Store.Listener() {
          @Override
          public void due(Instant at) {
            dueAt(at);
          }

          @Override
          public void webhookChanged(String webhookId) {
            giveBackWaiting(webhookId);
          }
        });
  }

  private static Counter leasedCounter(MeterRegistry metrics, String path) {
    return Counter.builder("hookwire.payloads.leased")
        .description(
            "Payloads this node leased: at publish, straight into a lane (live), or by a claim")
        .tag("path", path)
        .register(metrics);
  }

  private static Counter outcomeCounter(MeterRegistry metrics, String outcome) {
    return Counter.builder("hookwire.deliveries")
        .description("Payload delivery attempts by what became of the payload")
        .tag("outcome", outcome)
        .register(metrics);
  }

  /** Something may be due now: an enable, a resend, room in a lane. */
  public void wake() {
    backlog = true;
    wakeUp.release();
  }

  /** Payloads become due at {@code at}: a retry this or another node scheduled. */
  void dueAt(Instant at) {
    if (!at.isAfter(clock.instant())) {
      wake();
    } else {
      long ms = at.toEpochMilli();
      if (dueTimes.size() < MAX_DUE_TIMES
          && dueTimes.add(ms)
          && Long.valueOf(ms).equals(dueTimes.ceiling(Long.MIN_VALUE))) {
        // The loop may be waiting longer than until then.
        wakeUp.release();
      }
    }
  }

  private void recorded(int attempts) {
    inFlight.addAndGet(-attempts);
    if (backlog) {
      // Room the lanes may have been waiting for.
      wakeUp.release();
    }
  }

  // The live path

  /**
   * The room this node's lanes have for the payloads of one publish transaction. Not thread-safe:
   * one transaction uses it. After the commit, {@link #handOver} the payloads it took.
   */
  public LiveLeases liveLeases() {
    Instant until = clock.instant().plus(settings.lease());
    Map<String, Integer> taken = new HashMap<>();
    long[] takenData = new long[1];
    return new LiveLeases() {
      @Override
      public boolean take(String webhookId, int batchSize, int dataLength) {
        if (!running) {
          return false;
        }
        boolean[] took = new boolean[1];
        // compute(): a lane is neither dropped as idle nor created twice while it is counted.
        lanes.compute(
            webhookId,
            (id, lane) -> {
              Lane l = lane != null ? lane : new Lane(batchSize);
              took[0] = l.tryTake(dataLength);
              return l;
            });
        if (took[0]) {
          taken.merge(webhookId, 1, Integer::sum);
          takenData[0] += dataLength;
        }
        return took[0];
      }

      @Override
      public Instant until() {
        return until;
      }

      @Override
      public void cancel() {
        taken.forEach(
            (webhookId, n) -> {
              lanes.get(webhookId).payloads.addAndGet(-n);
              inFlight.addAndGet(-n);
            });
        taken.clear();
        heldData.addAndGet(-takenData[0]);
        takenData[0] = 0;
      }
    };
  }

  /**
   * Puts the payloads a publish leased to this node (see {@link #liveLeases}) in their lanes, now
   * that they are committed. Nothing reads them back from the store.
   */
  public void handOver(List<Claim> leased) {
    leasedLive.increment(leased.size());
    for (List<Claim> batch : batches(leased)) {
      lanes.get(batch.get(0).webhookId()).enqueue(batch);
    }
    if (backlog) {
      wakeUp.release();
    }
  }

  // The claim loop

  private void run() {
    while (running) {
      try {
        releaseGivenBack();
        int claimed = claimAndDispatch();
        if (claimed < settings.claimLimit()) {
          awaitWork();
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

  /** Waits for a wake-up, the next known retry or the poll interval, whichever comes first. */
  private void awaitWork() throws InterruptedException {
    long wait = settings.pollInterval().toMillis();
    Long due = dueTimes.ceiling(Long.MIN_VALUE);
    if (due != null) {
      wait = Math.max(0, Math.min(wait, due - clock.millis()));
    }
    if (wait > 0) {
      wakeUp.tryAcquire(wait, TimeUnit.MILLISECONDS);
    }
    wakeUp.drainPermits();
    // What is due now is claimed next; what comes due later is still waited for.
    dueTimes.headSet(clock.millis(), true).clear();
  }

  /** One claim: due payloads into the lanes that have room for them. */
  int claimAndDispatch() {
    long nowMs = clock.millis();
    lanes.values().forEach(lane -> lane.measure(nowMs));
    int room = Math.min(settings.claimLimit(), settings.maxInFlight() - inFlight.get());
    if (room <= 0 || heldData.get() >= MAX_HELD_DATA) {
      return 0;
    }
    // Only lanes without payloads or workers can go, atomically per lane, so none is dropped
    // while a publish counts a payload in it.
    for (String id : lanes.keySet()) {
      lanes.computeIfPresent(id, (k, lane) -> lane.isIdle() ? null : lane);
    }
    Set<String> busy =
        lanes.entrySet().stream()
            .filter(e -> e.getValue().isFull())
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    Instant now = clock.instant();
    // Each webhook's share of the claim: half its lane when few webhooks wait in the store, less
    // when many do. Every candidate read costs, and 100 webhooks due read 256 of each (25,600
    // rows) to lease 256; one round of each webhook's concurrency keeps all of them on the wire.
    long waitingInStore =
        lanes.entrySet().stream()
            .filter(e -> e.getValue().spilled && !busy.contains(e.getKey()))
            .count();
    int requestsPerWebhook =
        (int)
            Math.max(
                settings.concurrencyPerWebhook(),
                Math.min(claimedPerWebhook() / 2, room / Math.max(1, waitingInStore)));
    List<Claim> claims =
        store.claim(room, requestsPerWebhook, busy, now, now.plus(settings.lease()));
    inFlight.addAndGet(claims.size());
    heldData.addAndGet(dataLength(claims));
    leasedByClaim.increment(claims.size());
    for (List<Claim> batch : batches(claims)) {
      Claim first = batch.get(0);
      lanes
          .compute(
              first.webhookId(),
              (id, lane) -> {
                Lane l = lane != null ? lane : new Lane(first.batchSize());
                l.payloads.addAndGet(batch.size());
                return l;
              })
          .enqueue(batch);
    }
    Map<String, Integer> perWebhook = new HashMap<>();
    claims.forEach(c -> perWebhook.merge(c.webhookId(), 1, Integer::sum));
    boolean everythingFitted = claims.size() < room;
    lanes.forEach(
        (id, lane) -> {
          if (busy.contains(id)) {
            return;
          }
          int got = perWebhook.getOrDefault(id, 0);
          if (got >= requestsPerWebhook * lane.batchSize) {
            // More may be due: new payloads queue behind them in the store, oldest first.
            lane.spilled = true;
          } else if (everythingFitted) {
            // Everything due of this webhook was claimed.
            lane.spilled = false;
          }
        });
    backlog = !everythingFitted || lanes.values().stream().anyMatch(l -> l.spilled);
    return claims.size();
  }

  /**
   * Requests a webhook may have in its lane: {@link #ROUNDS_AHEAD} rounds of its concurrency, so it
   * stays fed between claims while the claim, send and record round trips overlap.
   */
  private int claimedPerWebhook() {
    return ROUNDS_AHEAD * settings.concurrencyPerWebhook();
  }

  /**
   * A webhook changed (its URL, its secret, disabled, deleted): what its lane holds unsent goes
   * back to the store and is claimed again as the webhook now is, or held if it is disabled.
   */
  private void giveBackWaiting(String webhookId) {
    Lane lane = lanes.get(webhookId);
    if (lane == null) {
      return;
    }
    List<Claim> unsent = new ArrayList<>();
    for (List<Claim> batch; (batch = lane.waiting.poll()) != null; ) {
      unsent.addAll(batch);
    }
    lane.payloads.addAndGet(-unsent.size());
    heldData.addAndGet(-dataLength(unsent));
    givenBack.addAll(unsent);
    wake();
  }

  private static long dataLength(List<Claim> claims) {
    long length = 0;
    for (Claim c : claims) {
      length += c.data().length();
    }
    return length;
  }

  /** Gives back to the store what was taken out of the lanes unsent. */
  private void releaseGivenBack() {
    List<Claim> given = new ArrayList<>();
    for (Claim c; (c = givenBack.poll()) != null; ) {
      given.add(c);
    }
    if (given.isEmpty()) {
      return;
    }
    try {
      store.release(given);
    } finally {
      // Released or not, this node no longer holds them: an unreleased lease simply runs out.
      inFlight.addAndGet(-given.size());
    }
  }

  /** Consecutive payloads of one webhook, in groups of its batch size, oldest first. */
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
      Reply response;
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
        response = new Reply(0, e.getMessage(), null, 0);
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
      Claim c, Instant sentAt, Reply response, Outcome outcome, Instant now) {
    PayloadState state;
    Instant dueAt;
    switch (outcome) {
      case Outcome.Delivered d -> {
        state = PayloadState.delivered;
        dueAt = now;
      }
      case Outcome.RetryAt r -> {
        state = PayloadState.pending;
        dueAt = r.at();
      }
      case Outcome.GaveUp g -> {
        state = PayloadState.failed;
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
    String binding = SecretBox.webhookBinding(c.accountId(), c.webhookId());
    String current = open(c.secretSealed(), binding);
    if (c.previousSecretSealed().isPresent()
        && c.previousSecretUntil().map(now::isBefore).orElse(false)) {
      return List.of(current, open(c.previousSecretSealed().get(), binding));
    }
    return List.of(current);
  }

  /**
   * Opens a sealed secret once per row: the cache is keyed by the row's binding as well as the
   * sealed value, so a value copied onto another row is opened (and refused) for that row.
   */
  private String open(String sealed, String binding) {
    if (openedSecrets.size() > 100_000) {
      openedSecrets.clear();
    }
    return openedSecrets.computeIfAbsent(
        new Sealed(binding, sealed), k -> secrets.open(k.value(), k.binding()));
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
   * One webhook's requests. Batches queue here and at most {@code concurrencyPerWebhook} workers
   * take them in the order they came, oldest first: a webhook allowed one request at a time gets
   * its payloads in order (held payloads released by an enable, for one).
   */
  private final class Lane {
    final int batchSize;

    /** What the lane holds whatever its speed: {@link #ROUNDS_AHEAD} rounds. */
    private final int minCapacity;

    private final Queue<List<Claim>> waiting = new ConcurrentLinkedQueue<>();

    /** Payloads sent so far, and as last measured; payloads sent per second, smoothed. */
    private final LongAdder sent = new LongAdder();

    private long sentWhenMeasured;
    private long measuredAtMs = -1;
    private volatile double sendRate;

    /** Payloads counted for this lane: taken at publish, queued or on the wire. */
    final AtomicInteger payloads = new AtomicInteger();

    /**
     * Whether the store may hold due payloads of this webhook that did not fit here: new ones then
     * wait behind them in the store rather than overtake them, and room here wakes the claim.
     */
    volatile boolean spilled;

    private final AtomicInteger workers = new AtomicInteger();

    Lane(int batchSize) {
      this.batchSize = Math.max(1, batchSize);
      this.minCapacity = claimedPerWebhook() * this.batchSize;
    }

    /**
     * Payloads the lane may hold: {@link #ROUNDS_AHEAD} rounds, or what it sent in the last {@link
     * #HELD_SENDING} if more, but never more than a quarter of the node's.
     */
    int capacity() {
      double recent = sendRate * HELD_SENDING.toMillis() / 1_000;
      return (int) Math.max(minCapacity, Math.min(recent, settings.maxInFlight() / 4));
    }

    /**
     * Updates the send rate, at most every 100 ms (the claim loop calls it every time it runs),
     * smoothed over the last few measurements so a single slow moment does not shrink the lane.
     */
    void measure(long nowMs) {
      if (measuredAtMs < 0) {
        measuredAtMs = nowMs;
        sentWhenMeasured = sent.sum();
        return;
      }
      long elapsed = nowMs - measuredAtMs;
      if (elapsed >= 100) {
        long total = sent.sum();
        double rate = (total - sentWhenMeasured) * 1_000.0 / elapsed;
        sendRate = sendRate * 0.5 + rate * 0.5;
        measuredAtMs = nowMs;
        sentWhenMeasured = total;
      }
    }

    boolean isIdle() {
      return payloads.get() == 0 && workers.get() == 0 && !spilled;
    }

    /**
     * Whether the lane has no room for another round of its concurrency. A spilled lane is claimed
     * for until it is full, not half full: only then can a claim find its webhook's store backlog
     * drained and send later publishes the live way again. Stopping at half kept a lane fed by a
     * steady producer spilled for good, and every payload of it went through the claim.
     */
    boolean isFull() {
      return capacity() - payloads.get() < settings.concurrencyPerWebhook() * batchSize;
    }

    /**
     * Counts one more payload in this lane if it and the node have room for it. A spilled lane
     * takes new payloads only into its first half: the claim fills the rest from the store, oldest
     * first, so older payloads get at least half of what the webhook is sent while newer ones keep
     * the live path, and a steady producer no longer sends everything through the claim.
     */
    boolean tryTake(int dataLength) {
      if (payloads.get() >= (spilled ? capacity() / 2 : capacity())) {
        spilled = true;
        return false;
      }
      if (heldData.addAndGet(dataLength) > MAX_HELD_DATA) {
        heldData.addAndGet(-dataLength);
        spilled = true;
        return false;
      }
      if (inFlight.incrementAndGet() > settings.maxInFlight()) {
        inFlight.decrementAndGet();
        heldData.addAndGet(-dataLength);
        spilled = true;
        return false;
      }
      payloads.incrementAndGet();
      return true;
    }

    /** Queues a batch already counted in {@link #payloads}. */
    void enqueue(List<Claim> batch) {
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
            // Shutting down: the batch is given back by close().
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
            if (leaseEndsTooSoon(batch)) {
              // Another attempt may start when the lease ends: this one must not overlap it.
              givenBack.addAll(batch);
              wakeUp.release();
            } else {
              deliver(batch);
            }
          } finally {
            sent.add(batch.size());
            heldData.addAndGet(-dataLength(batch));
            int left = payloads.addAndGet(-batch.size());
            int full = capacity() - settings.concurrencyPerWebhook() * batchSize;
            if (spilled && left <= full && left + batch.size() > full) {
              // Room for a round with more waiting in the store.
              wake();
            }
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
   * Whether a request for {@code batch} started now could still be running when its lease ends: it
   * may wait up to one delivery timeout for a place at its destination, then take another.
   */
  private boolean leaseEndsTooSoon(List<Claim> batch) {
    return clock
        .instant()
        .plus(settings.timeout().multipliedBy(2))
        .isAfter(batch.get(0).leaseUntil());
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
      store.release(unsent);
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
    releaseGivenBack();
    recorder.close();
  }
}
