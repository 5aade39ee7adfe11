package io.hookwire.bench;

import io.hookwire.Hookwire;
import io.hookwire.config.Config;
import io.hookwire.core.Account;
import io.hookwire.core.Envelope;
import io.hookwire.core.EventType;
import io.hookwire.core.PayloadState;
import io.hookwire.delivery.OkHttpSender;
import io.hookwire.delivery.Reply;
import io.hookwire.security.ApiKeys;
import io.hookwire.security.Secrets;
import io.hookwire.security.TargetPolicy;
import io.hookwire.signing.Signer;
import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * One benchmark run: an HTTP sink and a publisher in this process, and a Hookwire server as {@code
 * hookwire serve} in a process of its own ({@link ServerProcess}), delivering to the sink while the
 * publisher drives it through its REST API. Each phase measures one figure of the targets in
 * docs/performance.md; all of them share the run, so they are comparable with each other.
 *
 * <p>Phases, in order: JIT warm-up; <b>sink limit</b> (the server's own HTTP client stack straight
 * against the sink); <b>delivery throughput</b> (batches of events published while deliveries run,
 * a bounded backlog keeping the dispatcher busy); <b>ingest</b> (the backlog published into a
 * disabled webhook, so nothing competes with it); <b>backlog drain</b> (that webhook enabled);
 * <b>latency</b> and <b>high-rate latency</b> (single events, open loop, at two fixed rates);
 * <b>fan-out</b> (one event to many webhooks); with two nodes, <b>retry wake-up</b> (a retry one
 * node recorded, sent by the other).
 */
public final class Bench {
  /** Route prefixes at the sink, one per phase, so no phase counts another's arrivals. */
  private static final String DIRECT = "/direct";

  private static final String LIVE = "/live";
  private static final String BACKLOG = "/backlog";
  private static final String LATENCY = "/latency";
  private static final String LATENCY_HIGH = "/latency-high";
  private static final String RETRY = "/retry";
  private static final String FANOUT = "/fanout";
  private static final String WARMUP = "/warmup";

  /** How often phases sample the sink's counts: the resolution of ramps and per-second series. */
  private static final long SAMPLE_NANOS = 100_000_000L;

  /** Deliveries allowed to wait at most: enough to keep the dispatcher busy, bounded memory. */
  private static final long MAX_OUTSTANDING = 20_000;

  /**
   * 100 events/s: a moderate producer for the retry wake-up phase, which measures how soon a due
   * retry is picked up, not load.
   */
  private static final int RETRY_EVENTS_PER_SECOND = 100;

  /** Events of the retry wake-up phase at most: a few hundred give a p99 of several samples. */
  private static final long MAX_RETRY_EVENTS = 300;

  /**
   * 5 s between the last first attempt and the first retry coming due, at least: the first node
   * must log every first attempt and close (requests finish, the recorder flushes) before then.
   */
  private static final long RETRY_MARGIN_SECONDS = 5;

  private static final double MB = 1024.0 * 1024.0;

  private final BenchSettings settings;
  private final PrintWriter progress;
  private final BenchClock clock = new BenchClock();
  private final Map<String, BenchReport.PhaseMemory> phaseMemory = new LinkedHashMap<>();
  private final Optional<LocalDatabase> localDatabase;

  private Path dataDir;
  private Store store;
  private Sink sink;

  /** Every node started, in order; the first measures every phase but the retry wake-up. */
  private final List<ServerProcess> nodes = new ArrayList<>();

  /** The node the publisher talks to; after the retry wake-up phase, the second node. */
  private ServerProcess server;

  /** The node recording a profile of the current phase, if any. */
  private ServerProcess profiled;

  private Publisher publisher;
  private String accountId;

  private Bench(BenchSettings settings, PrintWriter progress) {
    this.settings = settings;
    this.localDatabase = LocalDatabase.of(settings.databaseUrl());
    this.progress = progress;
  }

  /**
   * Runs every phase and returns the figures.
   *
   * @param progress told what each phase is doing and what it measured, as it goes
   */
  public static BenchReport run(BenchSettings settings, PrintWriter progress) {
    return new Bench(settings, progress).run();
  }

  private BenchReport run() {
    Instant startedAt = Instant.now();
    double loadBefore = loadAverage();
    dataDir = settings.dataDir().orElseGet(Bench::temporaryDirectory);
    // The benchmark's own connection to the store: it creates the account (the API has no route
    // for that) and counts what the server logged, so counting costs the server nothing.
    try (Store s = Stores.open(settings.databaseUrl(), dataDir, 2);
        Sink sk = new Sink(clock)) {
      this.store = s;
      this.sink = sk;
      this.server = startNode();
      List<String> webhooks = new ArrayList<>();
      try {
        return measure(startedAt, loadBefore, webhooks);
      } finally {
        if (publisher != null) {
          publisher.close();
        }
        if (settings.databaseUrl().isPresent() && accountId != null) {
          say("removing the benchmark's webhooks, payloads and log from the database");
          webhooks.forEach(id -> store.deleteWebhook(accountId, id));
        }
        nodes.forEach(ServerProcess::close);
      }
    } finally {
      if (settings.dataDir().isEmpty()) {
        deleteRecursively(dataDir);
      }
    }
  }

  /** Starts one more node: {@code serve} with its defaults but the benchmark's sizes. */
  private ServerProcess startNode() {
    List<String> options = new ArrayList<>();
    // The sink is on loopback.
    options.add("--allow-private-targets");
    options.addAll(List.of("--concurrency-per-webhook", String.valueOf(settings.concurrency())));
    settings
        .databaseUrl()
        .ifPresent(
            url ->
                options.addAll(
                    List.of(
                        "--database-url",
                        url,
                        "--database-pool-size",
                        String.valueOf(settings.databasePoolSize()))));
    // Same data directory, so the nodes share the master key file the first one created.
    ServerProcess node = ServerProcess.start("node-" + (nodes.size() + 1), dataDir, options);
    nodes.add(node);
    return node;
  }

  private BenchReport measure(Instant startedAt, double loadBefore, List<String> webhooks) {
    String apiKey = ApiKeys.generate();
    Account account = store.createAccount("Benchmark", ApiKeys.hash(apiKey), Instant.now());
    accountId = account.id();
    publisher =
        new Publisher("http://127.0.0.1:" + server.port(), accountId, apiKey, settings.dataBytes());

    String warm = publisher.createWebhook("warm-up", EventType.newCampaign, sink.url(WARMUP), true);
    String live = publisher.createWebhook("live", EventType.newLead, sink.url(LIVE), true);
    String held = publisher.createWebhook("backlog", EventType.postSent, sink.url(BACKLOG), false);
    String paced =
        publisher.createWebhook("latency", EventType.newConversation, sink.url(LATENCY), true);
    String pacedHigh =
        publisher.createWebhook(
            "latency, high rate", EventType.conversationUpdated, sink.url(LATENCY_HIGH), true);
    webhooks.addAll(List.of(warm, live, held, paced, pacedHigh));
    List<String> fanOutWebhooks = new ArrayList<>();
    for (int i = 0; i < settings.fanOut(); i++) {
      fanOutWebhooks.add(
          publisher.createWebhook(
              "fan-out " + i, EventType.newAssignment, sink.url(FANOUT + "/" + i), true));
    }
    webhooks.addAll(fanOutWebhooks);

    // What a delivery of the benchmark's events looks like on the wire, for the sink limit.
    byte[] body =
        Envelope.of(EventType.newLead, Instant.now(), live, publisher.sampleData(1_234_567, 1L))
            .getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers =
        Signer.headers(List.of(Secrets.generate()), "0WB000000000000", 1L, body);
    headers.put("X-Oktopost-Webhook", live);
    headers.put("X-Oktopost-Payload", "0WB000000000000");

    if (!settings.warmup().isZero()) {
      Duration third = settings.warmup().dividedBy(3);
      say("warming up for %d s", settings.warmup().toSeconds());
      direct(DIRECT + "-warmup", third, body, headers);
      sustained(WARMUP, EventType.newCampaign, 1, settings.batch(), 2, third);
      paced(WARMUP, EventType.newCampaign, settings.latencyRate(), third);
    }

    startPhase("sinkLimit");
    BenchReport.SinkLimit sinkLimit = direct(DIRECT, settings.phase(), body, headers);
    endPhase("sinkLimit");
    say(
        "sink limit: %,.0f requests/s at %d concurrent",
        sinkLimit.requestsPerSecond(), sinkLimit.concurrency());

    startPhase("deliveryThroughput");
    Sustained one = sustained(LIVE, EventType.newLead, 1, settings.batch(), 2, settings.phase());
    endPhase("deliveryThroughput");
    BenchReport.Throughput throughput =
        new BenchReport.Throughput(
            one.events,
            one.deliveries,
            one.seconds,
            one.rate,
            one.rate / sinkLimit.requestsPerSecond(),
            awaitLogged(List.of(live), one.deliveries),
            one.cpu,
            one.leasedAtPublish,
            one.perSecond);
    say(
        "delivery throughput: %,.0f deliveries/s (%.2f of the sink limit, %.0f%% leased at publish)",
        throughput.deliveriesPerSecond(),
        throughput.ratioToSinkLimit(),
        throughput.leasedAtPublish() * 100);

    startPhase("ingest");
    BenchReport.Ingest ingest = ingest(EventType.postSent, settings.backlog());
    endPhase("ingest");
    long heldCount = store.countPayloads(accountId, held, PayloadState.held);
    if (heldCount != settings.backlog()) {
      throw new IllegalStateException(
          "the ingest phase left " + heldCount + " held payloads, not " + settings.backlog());
    }
    say("ingest: %,.0f events/s", ingest.eventsPerSecond());

    startPhase("backlogDrain");
    BenchReport.BacklogDrain drain =
        drain(held, sinkLimit.requestsPerSecond(), throughput.deliveriesPerSecond());
    endPhase("backlogDrain");
    say(
        "backlog drain: %,.0f deliveries/s (%.2f of the sink limit, %.2f of the live rate)",
        drain.deliveriesPerSecond(), drain.ratioToSinkLimit(), drain.ratioToLive());

    startPhase("latency");
    BenchReport.Latency latency =
        paced(LATENCY, EventType.newConversation, settings.latencyRate(), settings.phase());
    endPhase("latency");
    sayLatency(latency);

    startPhase("latencyHigh");
    BenchReport.Latency latencyHigh =
        paced(LATENCY_HIGH, EventType.conversationUpdated, settings.highRate(), settings.phase());
    endPhase("latencyHigh");
    sayLatency(latencyHigh);

    startPhase("fanOut");
    int perRequest = Math.max(1, settings.batch() / settings.fanOut());
    Sustained many =
        sustained(
            FANOUT, EventType.newAssignment, settings.fanOut(), perRequest, 2, settings.phase());
    endPhase("fanOut");
    BenchReport.FanOut fanOut =
        new BenchReport.FanOut(
            settings.fanOut(),
            many.events,
            many.deliveries,
            many.seconds,
            many.rate,
            many.rate / sinkLimit.requestsPerSecond(),
            many.rate / throughput.deliveriesPerSecond(),
            awaitLogged(fanOutWebhooks, many.deliveries),
            many.cpu,
            many.leasedAtPublish,
            many.perSecond);
    say(
        "fan-out to %d: %,.0f deliveries/s (%.2f of the sink limit, %.2f of fan-out 1, %.0f%% leased"
            + " at publish)",
        fanOut.webhooks(),
        fanOut.deliveriesPerSecond(),
        fanOut.ratioToSinkLimit(),
        fanOut.ratioToFanOut1(),
        fanOut.leasedAtPublish() * 100);

    startPhase("flood");
    BenchReport.Flood flood = flood(settings.phase());
    endPhase("flood");
    say(
        "another account during a flood of %,.1f MB batches (%.1f/s): p50 %.1f ms, p99 %.1f ms,"
            + " max %.1f ms (p99 %.1f ms without the flood)",
        flood.bodyBytes() / 1e6,
        flood.bodiesPerSecond(),
        flood.p50Millis(),
        flood.p99Millis(),
        flood.maxMillis(),
        flood.quietP99Millis());

    // Last: it closes the first node.
    BenchReport.RetryWakeUp retryWakeUp = null;
    if (settings.nodes() == 2) {
      startPhase("retryWakeUp");
      retryWakeUp = retryWakeUp(webhooks);
      endPhase("retryWakeUp");
      say(
          "retry wake-up on the other node: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
          retryWakeUp.p50Millis(), retryWakeUp.p99Millis(), retryWakeUp.maxMillis());
    }

    long peakUsed = 0;
    long peakAfterGc = 0;
    double peakRss = -1;
    for (ServerProcess node : nodes) {
      ServerProcess.Heap heap = node.heap();
      peakUsed = Math.max(peakUsed, heap.usedMb());
      peakAfterGc = Math.max(peakAfterGc, heap.afterGcMb());
      peakRss =
          Math.max(peakRss, node.peakRss().stream().mapToDouble(b -> b / MB).max().orElse(-1));
    }
    BenchReport.Memory mem =
        new BenchReport.Memory(
            ServerProcess.HEAP_MB, peakUsed, peakAfterGc, peakRss, Map.copyOf(phaseMemory));

    BenchReport.Machine machine =
        new BenchReport.Machine(
            Runtime.getRuntime().availableProcessors(),
            Machine.cpuModel(),
            Machine.memoryMb(),
            System.getProperty("os.name") + " " + System.getProperty("os.version"),
            System.getProperty("java.vm.name") + " " + Runtime.version(),
            Runtime.getRuntime().maxMemory() / (1024 * 1024),
            loadBefore,
            loadAverage());
    return new BenchReport(
        Hookwire.VERSION,
        startedAt.toString(),
        settings.databaseUrl().isPresent() ? "PostgreSQL" : "SQLite",
        machine,
        BenchReport.Settings.of(settings),
        sinkLimit,
        throughput,
        ingest,
        latency,
        latencyHigh,
        fanOut,
        drain,
        retryWakeUp,
        flood,
        mem,
        checks(
            settings.databaseUrl().isPresent(),
            throughput,
            ingest,
            latency,
            latencyHigh,
            fanOut,
            drain,
            retryWakeUp,
            flood,
            mem));
  }

  // Phases

  /**
   * The sink limit: the server's HTTP client stack ({@link OkHttpSender}, its pool and timeouts)
   * posting one delivery's body and headers straight to the sink, as many at once as the dispatcher
   * puts on the wire for one webhook.
   */
  private BenchReport.SinkLimit direct(
      String route, Duration duration, byte[] body, Map<String, String> headers) {
    String url = sink.url(route);
    LongAdder ok = new LongAdder();
    LongAdder failed = new LongAdder();
    try (OkHttpSender sender =
        new OkHttpSender(
            TargetPolicy.permissive(), Config.DEFAULT_DELIVERY_TIMEOUT, Hookwire.USER_AGENT)) {
      long start = clock.nanos();
      long end = start + duration.toNanos();
      runAll(
          settings.concurrency(),
          () -> {
            while (clock.nanos() < end) {
              Reply response = sender.post(url, headers, body);
              (response.isSuccess() ? ok : failed).increment();
            }
          });
      double seconds = (clock.nanos() - start) / 1e9;
      if (failed.sum() > 0) {
        throw new IllegalStateException(failed.sum() + " requests to the sink failed");
      }
      return new BenchReport.SinkLimit(
          settings.concurrency(), body.length, ok.sum(), seconds, ok.sum() / seconds);
    }
  }

  /** What a sustained delivery phase measured. */
  private record Sustained(
      long events,
      long deliveries,
      double seconds,
      double rate,
      BenchReport.CpuPerDelivery cpu,
      double leasedAtPublish,
      List<Long> perSecond) {}

  /**
   * Publishes batches for {@code duration}, as fast as the deliveries keep up (at most {@link
   * #MAX_OUTSTANDING} waiting), and measures the arrival rate at the sink once past a ramp; then
   * waits for every delivery to arrive.
   *
   * @param fanOut webhooks subscribed to {@code type}: deliveries per event
   */
  private Sustained sustained(
      String route,
      EventType type,
      int fanOut,
      int eventsPerRequest,
      int publishers,
      Duration duration) {
    Sink.Tally tally = sink.tally(route);
    long before = tally.payloads();
    long cap = Math.max(MAX_OUTSTANDING, 2L * eventsPerRequest * fanOut * publishers);
    AtomicLong reserved = new AtomicLong();
    CpuMark cpuStart = cpuMark();
    Leased leasedStart = leased();
    long start = clock.nanos();
    long end = start + duration.toNanos();
    List<long[]> samples = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        running.add(
            threads.submit(
                () -> {
                  while (clock.nanos() < end) {
                    long waiting = reserved.get() * fanOut - (tally.payloads() - before);
                    if (waiting + (long) eventsPerRequest * fanOut > cap) {
                      LockSupport.parkNanos(200_000);
                      continue;
                    }
                    long first = reserved.getAndAdd(eventsPerRequest);
                    publisher.publishBatch(type, eventsPerRequest, first, clock.nanos());
                  }
                  return null;
                }));
      }
      for (long at = start; at <= end; at += SAMPLE_NANOS) {
        parkUntil(at);
        samples.add(new long[] {at, tally.payloads() - before});
      }
      awaitAll(running);
    }
    long events = reserved.get();
    long deliveries = events * fanOut;
    awaitArrivals(tally, before + deliveries, route);
    BenchReport.CpuPerDelivery cpu = cpuStart.perDelivery(cpuMark(), deliveries);

    double seconds = Math.max(1e-3, (tally.lastNanos() - start) / 1e9);
    double rate = windowRate(samples, duration).orElse(deliveries / seconds);
    double leasedAtPublish = leasedStart.atPublishUntil(leased());
    return new Sustained(
        events, deliveries, seconds, rate, cpu, leasedAtPublish, perSecond(samples));
  }

  /**
   * The arrival rate while the publishers kept a backlog: from a ramp past the first arrival (the
   * first fifth of the phase, at most 2 s, while the backlog builds and the pipeline fills) to the
   * end of publishing. Empty when the phase was too short to have such a window; the phase's rate
   * is then its deliveries over the time from its start to the last arrival.
   */
  private static OptionalDouble windowRate(List<long[]> samples, Duration phase) {
    int first = 0;
    while (first < samples.size() && samples.get(first)[1] == 0) {
      first++;
    }
    long rampNanos = Math.min(2_000_000_000L, phase.toNanos() / 5);
    int from = first + (int) (rampNanos / SAMPLE_NANOS);
    int to = samples.size() - 1;
    // Under a second, or nothing arriving in it, says more about the phase's length than the rate.
    if (to - from < 1_000_000_000L / SAMPLE_NANOS || samples.get(to)[1] == samples.get(from)[1]) {
      return OptionalDouble.empty();
    }
    double seconds = (samples.get(to)[0] - samples.get(from)[0]) / 1e9;
    return OptionalDouble.of((samples.get(to)[1] - samples.get(from)[1]) / seconds);
  }

  /**
   * Publishes {@code total} events into a disabled webhook, in batches from several connections,
   * and measures how fast the server accepts them. Each answer means the batch is committed.
   */
  private BenchReport.Ingest ingest(EventType type, int total) {
    AtomicLong next = new AtomicLong();
    int batch = settings.batch();
    long start = clock.nanos();
    runAll(
        settings.publishers(),
        () -> {
          long first;
          while ((first = next.getAndAdd(batch)) < total) {
            int count = (int) Math.min(batch, total - first);
            publisher.publishBatch(type, count, first, clock.nanos());
          }
        });
    double seconds = (clock.nanos() - start) / 1e9;
    return new BenchReport.Ingest(total, batch, settings.publishers(), seconds, total / seconds);
  }

  /** Enables the webhook holding the backlog and measures until its last payload arrives. */
  private BenchReport.BacklogDrain drain(String webhookId, double sinkLimit, double liveRate) {
    Sink.Tally tally = sink.tally(BACKLOG);
    long total = settings.backlog();
    CpuMark cpuStart = cpuMark();
    long start = clock.nanos();
    publisher.setEnabled(webhookId, true);
    List<long[]> samples = new ArrayList<>();
    long deadline = start + timeoutFor(total).toNanos();
    for (long at = start; tally.payloads() < total; at += SAMPLE_NANOS) {
      if (at > deadline) {
        throw new IllegalStateException(
            "the backlog did not drain: " + tally.payloads() + " of " + total + " arrived");
      }
      parkUntil(at);
      samples.add(new long[] {at, tally.payloads()});
    }
    BenchReport.CpuPerDelivery cpu = cpuStart.perDelivery(cpuMark(), total);
    double seconds = (tally.lastNanos() - start) / 1e9;
    double rate = total / seconds;
    return new BenchReport.BacklogDrain(
        total,
        seconds,
        rate,
        rate / sinkLimit,
        rate / liveRate,
        awaitLogged(List.of(webhookId), total),
        cpu,
        perSecond(samples));
  }

  /**
   * Publishes on the wire at once in a latency phase, at most. Far more than a server that keeps up
   * ever has (it answers in milliseconds), so the phase stays open loop; the bound only keeps the
   * benchmark's own process, whose 512 MB heap also holds the producer and the sink, from running
   * out of memory with tens of thousands of requests waiting when a server falls behind.
   */
  /** Senders of the flood: more than one account's budget of large bodies lets parse at once. */
  private static final int FLOOD_SENDERS = 4;

  /** The flood's probe: another account's {@code GET /v2/me}, this many a second. */
  private static final int PROBES_PER_SECOND = 50;

  /**
   * The stall one account's large bodies cost another (docs/operations.md, Abuse): a second account
   * probes {@code GET /v2/me} open loop, first alone for a third of {@code duration}, then for
   * {@code duration} while the benchmark's account sends batches just under the 16 MiB bound as
   * fast as {@link #FLOOD_SENDERS} connections can. Each batch is parsed in full and refused (its
   * events are of no known type), so nothing is stored and parsing is what is measured.
   */
  private BenchReport.Flood flood(Duration duration) {
    String key = ApiKeys.generate();
    Account other = store.createAccount("Benchmark, probe", ApiKeys.hash(key), Instant.now());
    Publisher probe =
        new Publisher("http://127.0.0.1:" + server.port(), other.id(), key, settings.dataBytes());
    byte[] batch = floodBatch();
    Histogram quiet = probe(probe, duration.dividedBy(3));
    LongAdder sent = new LongAdder();
    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicReference<String> failure = new AtomicReference<>();
    long start = clock.nanos();
    Histogram loud;
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < FLOOD_SENDERS; i++) {
        senders.execute(
            () -> {
              try {
                while (flooding.get()) {
                  int status = publisher.post("/v2/events", batch);
                  if (status != 400) {
                    failure.compareAndSet(null, "a flood batch was answered " + status);
                    return;
                  }
                  sent.increment();
                }
              } catch (RuntimeException e) {
                failure.compareAndSet(null, "a flood batch failed: " + e.getMessage());
              }
            });
      }
      loud = probe(probe, duration);
      flooding.set(false);
    }
    if (failure.get() != null) {
      throw new IllegalStateException(failure.get());
    }
    double seconds = (clock.nanos() - start) / 1e9;
    return new BenchReport.Flood(
        batch.length,
        FLOOD_SENDERS,
        sent.sum() / seconds,
        PROBES_PER_SECOND,
        quiet.getValueAtPercentile(99) / 1e6,
        loud.getValueAtPercentile(50) / 1e6,
        loud.getValueAtPercentile(99) / 1e6,
        loud.getMaxValue() / 1e6);
  }

  /** 1,000 events of 16 KB data each, of a type no webhook has: just under the 16 MiB bound. */
  private static byte[] floodBatch() {
    String data = "{\"note\":\"" + "x".repeat(16_000) + "\"}";
    StringBuilder events = new StringBuilder("[");
    for (int i = 0; i < 1_000; i++) {
      events
          .append(i == 0 ? "" : ",")
          .append("{\"event\":\"flood\",\"data\":")
          .append(data)
          .append('}');
    }
    return events.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code GET /v2/me} at {@link #PROBES_PER_SECOND}, open loop: ns from due to answer. */
  private Histogram probe(Publisher probe, Duration duration) {
    Histogram h = new Histogram(3);
    long count = Math.max(1, PROBES_PER_SECOND * duration.toMillis() / 1_000);
    long start = clock.nanos() + 10_000_000L;
    try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; i < count; i++) {
        long due = start + i * 1_000_000_000L / PROBES_PER_SECOND;
        long seq = i;
        parkUntil(due);
        requests.execute(
            () -> {
              int status = probe.me(seq);
              if (status != 200) {
                throw new IllegalStateException("GET /v2/me was answered " + status);
              }
              synchronized (h) {
                h.recordValue(Math.max(0, clock.nanos() - due));
              }
            });
      }
    }
    return h;
  }

  private static final int MAX_PUBLISHES_IN_FLIGHT = 2_048;

  /**
   * Publishes single events at a fixed rate, open loop, and measures each from when it was due to
   * be published to its arrival at the sink, so a stalled publish counts against the latency
   * instead of silently lowering the offered rate (no coordinated omission).
   *
   * <p>Each publish starts on its own virtual thread the moment it is due, however many are still
   * unanswered, as the events of independent producers do: nothing on this side queues them, so a
   * server that falls behind shows it in the latency, the answers and the accepted rate.
   */
  private BenchReport.Latency paced(String route, EventType type, int rate, Duration duration) {
    Sink.Tally tally = sink.tally(route);
    long before = tally.payloads();
    long count = Math.max(1, rate * duration.toMillis() / 1_000);
    LongAdder accepted = new LongAdder();
    Map<Integer, LongAdder> refusedByStatus = new ConcurrentHashMap<>();
    AtomicReference<String> firstRefusal = new AtomicReference<>();
    LongAdder errors = new LongAdder();
    AtomicReference<String> firstError = new AtomicReference<>();
    AtomicLong lastAnswer = new AtomicLong(Long.MIN_VALUE);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    tally.takeLatency();
    long start = clock.nanos() + 10_000_000L;
    Semaphore places = new Semaphore(MAX_PUBLISHES_IN_FLIGHT);
    try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; i < count; i++) {
        // Computed from the start, not by adding intervals, so rounding never drifts the rate.
        long due = start + i * 1_000_000_000L / rate;
        long seq = i;
        parkUntil(due);
        // A publish that waits here for a place keeps its due time: the wait counts as latency.
        places.acquireUninterruptibly();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        requests.execute(
            () -> {
              try {
                Publisher.Answer answer = publisher.publishOne(type, seq, due);
                if (answer.accepted()) {
                  accepted.increment();
                } else {
                  // A refusal is a finding of the run, not the end of it: counted, reported.
                  refusedByStatus.computeIfAbsent(answer.code(), c -> new LongAdder()).increment();
                  firstRefusal.compareAndSet(null, answer.code() + ": " + answer.body());
                }
              } catch (RuntimeException e) {
                errors.increment();
                firstError.compareAndSet(null, String.valueOf(e.getMessage()));
              } finally {
                lastAnswer.accumulateAndGet(clock.nanos(), Math::max);
                inFlight.decrementAndGet();
                places.release();
              }
            });
      }
    }
    long refused = refusedByStatus.values().stream().mapToLong(LongAdder::sum).sum();
    if (refused > 0) {
      say("%,d of %,d publishes refused; the first: %s", refused, count, firstRefusal.get());
    }
    if (errors.sum() > 0) {
      say("%,d of %,d publishes failed; the first: %s", errors.sum(), count, firstError.get());
    }
    if ((refused + errors.sum()) * 2 > count) {
      throw new IllegalStateException(
          format(
              "more than half of the publishes at %,d/s were refused or failed; the first: %s",
              rate, firstRefusal.get() != null ? firstRefusal.get() : firstError.get()));
    }
    awaitArrivals(tally, before + accepted.sum(), route);
    Histogram h = tally.takeLatency();
    double seconds = Math.max(1e-3, (lastAnswer.get() - start) / 1e9);
    Map<String, Long> byStatus = new TreeMap<>();
    refusedByStatus.forEach((code, n) -> byStatus.put(String.valueOf(code), n.sum()));
    return new BenchReport.Latency(
        rate,
        count,
        accepted.sum(),
        refused,
        byStatus,
        firstRefusal.get(),
        errors.sum(),
        firstError.get(),
        seconds,
        accepted.sum() / seconds,
        maxInFlight.get(),
        h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(90) / 1e3,
        h.getValueAtPercentile(99) / 1e3,
        h.getValueAtPercentile(99.9) / 1e3,
        h.getMaxValue() / 1e3);
  }

  /**
   * Two nodes on one database: a second node starts; events go to a webhook whose sink fails the
   * first attempt of each payload and whose retry schedule is one retry a few seconds later; once
   * every first attempt is logged the first node closes, so only the second can send the retries.
   * Measures, per payload, how long after its retry came due it arrived.
   */
  private BenchReport.RetryWakeUp retryWakeUp(List<String> webhooks) {
    Sink.Attempts attempts = sink.failFirstAttempts(RETRY);
    ServerProcess secondNode = startNode();
    long count =
        Math.max(
            1,
            Math.min(
                MAX_RETRY_EVENTS, RETRY_EVENTS_PER_SECOND * settings.phase().toMillis() / 1_000));
    long publishSeconds = (count + RETRY_EVENTS_PER_SECOND - 1) / RETRY_EVENTS_PER_SECOND;
    Duration retryDelay = Duration.ofSeconds(publishSeconds + RETRY_MARGIN_SECONDS);
    String webhook =
        publisher.createWebhook(
            "retry wake-up",
            EventType.newConversion,
            sink.url(RETRY),
            true,
            retryDelay.toSeconds() + "s");
    webhooks.add(webhook);

    long start = clock.nanos();
    for (long i = 0; i < count; i++) {
      parkUntil(start + i * 1_000_000_000L / RETRY_EVENTS_PER_SECOND);
      Publisher.Answer answer = publisher.publishOne(EventType.newConversion, i, clock.nanos());
      if (!answer.accepted()) {
        throw new IllegalStateException(
            "the retry wake-up phase needs every event; a publish was refused: "
                + answer.code()
                + ": "
                + answer.body());
      }
    }
    long firstAttempts = awaitLogged(List.of(webhook), count);
    if (firstAttempts < count) {
      throw new IllegalStateException(
          firstAttempts + " of " + count + " first attempts were logged in time");
    }
    server.close();
    long closed = clock.nanos();
    server = secondNode;

    long deadline = closed + retryDelay.toNanos() + timeoutFor(count).toNanos();
    while (attempts.payloadsWithAttempts(2) < count) {
      if (clock.nanos() > deadline) {
        throw new IllegalStateException(
            attempts.payloadsWithAttempts(2) + " of " + count + " retries arrived in time");
      }
      LockSupport.parkNanos(2_000_000);
    }
    long logged = awaitLogged(List.of(webhook), 2 * count);
    long[] wakeUpNanos =
        attempts.byPayload().values().stream()
            .mapToLong(
                times -> {
                  if (times.get(1) < closed) {
                    // The phase would measure the first node waking itself, not the other node.
                    throw new IllegalStateException(
                        "a retry arrived before the first node had closed: a retry delay of "
                            + retryDelay.toSeconds()
                            + " s is too short on this machine");
                  }
                  return times.get(1) - (times.get(0) + retryDelay.toNanos());
                })
            .sorted()
            .toArray();
    return new BenchReport.RetryWakeUp(
        2,
        count,
        retryDelay.toMillis() / 1e3,
        logged,
        percentile(wakeUpNanos, 50) / 1e6,
        percentile(wakeUpNanos, 90) / 1e6,
        percentile(wakeUpNanos, 99) / 1e6,
        wakeUpNanos[wakeUpNanos.length - 1] / 1e6);
  }

  /** The nearest-rank percentile of sorted values. */
  private static long percentile(long[] sorted, double percent) {
    int rank = (int) Math.ceil(percent / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  // Targets

  /** The ingest targets, events per second: the stores differ in what a commit costs. */
  private static final double INGEST_TARGET_SQLITE = 30_000;

  private static final double INGEST_TARGET_POSTGRES = 50_000;

  /**
   * An open-loop phase "accepted everything at the offered rate" within 1%: its accepted rate is
   * taken to the last answer, which comes a response time after the last publish was due.
   */
  private static final double ACCEPTED_SHARE_OF_OFFERED = 0.99;

  private static List<BenchReport.Check> checks(
      boolean postgres,
      BenchReport.Throughput throughput,
      BenchReport.Ingest ingest,
      BenchReport.Latency latency,
      BenchReport.Latency latencyHigh,
      BenchReport.FanOut fanOut,
      BenchReport.BacklogDrain drain,
      BenchReport.RetryWakeUp retryWakeUp,
      BenchReport.Flood flood,
      BenchReport.Memory mem) {
    double ingestTarget = postgres ? INGEST_TARGET_POSTGRES : INGEST_TARGET_SQLITE;
    List<BenchReport.Check> checks = new ArrayList<>();
    checks.add(
        new BenchReport.Check(
            "delivery throughput, one webhook",
            ">= 0.5 of the sink limit",
            format(
                "%,.0f deliveries/s = %.2f of the sink limit",
                throughput.deliveriesPerSecond(), throughput.ratioToSinkLimit()),
            throughput.ratioToSinkLimit() >= 0.5));
    checks.add(
        new BenchReport.Check(
            format("ingest, batches of %,d", ingest.batchSize()),
            format(">= %,.0f events/s", ingestTarget),
            format("%,.0f events/s", ingest.eventsPerSecond()),
            ingest.eventsPerSecond() >= ingestTarget));
    checks.add(
        new BenchReport.Check(
            format("publish -> arrival at %,d events/s", latency.offeredPerSecond()),
            "p99 <= 50 ms, p99.9 <= 100 ms",
            format(
                    "p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms",
                    latency.p50Millis(), latency.p99Millis(), latency.p999Millis())
                + unanswered(latency),
            latency.p99Millis() <= 50 && latency.p999Millis() <= 100 && allAccepted(latency)));
    checks.add(
        new BenchReport.Check(
            format("single events offered at %,d/s", latencyHigh.offeredPerSecond()),
            "all accepted at the offered rate",
            format(
                    "%,d of %,d accepted, %,.0f/s",
                    latencyHigh.accepted(), latencyHigh.events(), latencyHigh.acceptedPerSecond())
                + unanswered(latencyHigh),
            allAccepted(latencyHigh)
                && latencyHigh.acceptedPerSecond()
                    >= ACCEPTED_SHARE_OF_OFFERED * latencyHigh.offeredPerSecond()));
    checks.add(
        new BenchReport.Check(
            format("publish -> arrival at %,d events/s", latencyHigh.offeredPerSecond()),
            "p99 <= 100 ms",
            format(
                "p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms",
                latencyHigh.p50Millis(), latencyHigh.p99Millis(), latencyHigh.p999Millis()),
            latencyHigh.p99Millis() <= 100 && allAccepted(latencyHigh)));
    checks.add(
        new BenchReport.Check(
            "fan-out 1 -> " + fanOut.webhooks(),
            ">= 0.5 of the sink limit",
            format(
                "%,.0f deliveries/s = %.2f of the sink limit",
                fanOut.deliveriesPerSecond(), fanOut.ratioToSinkLimit()),
            fanOut.ratioToSinkLimit() >= 0.5));
    checks.add(
        new BenchReport.Check(
            format("backlog drain of %,d", drain.payloads()),
            ">= 0.5 of the sink limit",
            format(
                "%,.0f payloads/s = %.2f of the sink limit",
                drain.deliveriesPerSecond(), drain.ratioToSinkLimit()),
            drain.ratioToSinkLimit() >= 0.5));
    checks.add(
        new BenchReport.Check(
            "another account while one floods",
            "p99 <= 100 ms",
            format(
                "p99 %.1f ms, max %.1f ms (quiet: p99 %.1f ms), %d senders of %,.1f MB at %.1f/s",
                flood.p99Millis(),
                flood.maxMillis(),
                flood.quietP99Millis(),
                flood.senders(),
                flood.bodyBytes() / 1e6,
                flood.bodiesPerSecond()),
            flood.p99Millis() <= 100));
    checks.add(
        new BenchReport.Check(
            "CPU per delivery, one webhook",
            "<= 150 µs",
            format(
                "%,.0f µs (the benchmark's producer and sink: %,.0f µs more%s)",
                throughput.cpuPerDelivery().serverMicros(),
                throughput.cpuPerDelivery().producerAndSinkMicros(),
                throughput.cpuPerDelivery().databaseMicros() == null
                    ? ""
                    : format(
                        "; PostgreSQL: %,.0f µs", throughput.cpuPerDelivery().databaseMicros())),
            throughput.cpuPerDelivery().serverMicros() <= 150));
    if (retryWakeUp != null) {
      checks.add(
          new BenchReport.Check(
              BenchReport.RETRY_WAKE_UP,
              BenchReport.RETRY_TARGET,
              format(
                  "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d retries due %.0f s after the first"
                      + " attempt)",
                  retryWakeUp.p50Millis(),
                  retryWakeUp.p99Millis(),
                  retryWakeUp.maxMillis(),
                  retryWakeUp.payloads(),
                  retryWakeUp.retryDelaySeconds()),
              retryWakeUp.p99Millis() <= 50));
    }
    checks.add(
        new BenchReport.Check(
            "heap during any of it",
            "<= 512 MB",
            format(
                "peak %,.0f MB in use, %,.0f MB live after GC (max heap %,d MB); peak RSS %,.0f MB",
                mem.peakHeapUsedMb(), mem.peakHeapAfterGcMb(), mem.maxHeapMb(), mem.peakRssMb()),
            mem.peakHeapUsedMb() <= 512));
    return List.copyOf(checks);
  }

  private static boolean allAccepted(BenchReport.Latency latency) {
    return latency.accepted() == latency.events();
  }

  /** What was not accepted, for the table: empty when everything was. */
  private static String unanswered(BenchReport.Latency latency) {
    String out = "";
    if (latency.refused() > 0) {
      out += format(", %,d refused %s", latency.refused(), latency.refusedByStatus());
    }
    if (latency.errors() > 0) {
      out += format(", %,d without an answer", latency.errors());
    }
    return out;
  }

  // Helpers

  private void startPhase(String name) {
    server.startPhase();
    if (settings.profileDir().isPresent()) {
      server.startProfile("hookwire-bench-" + name);
      profiled = server;
    }
  }

  private void endPhase(String name) {
    if (profiled != null) {
      Path file = settings.profileDir().orElseThrow().resolve(name + ".jfr");
      if (profiled.isAlive()) {
        try {
          Files.createDirectories(file.getParent());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        profiled.stopProfile("hookwire-bench-" + name, file);
        say("profile of %s written to %s", name, file);
      } else {
        say("no profile of %s: the node recording it has stopped", name);
      }
      profiled = null;
    }
    ServerProcess.Heap heap = server.phaseHeap();
    phaseMemory.put(name, new BenchReport.PhaseMemory(heap.usedMb(), heap.afterGcMb()));
  }

  private void awaitArrivals(Sink.Tally tally, long expected, String route) {
    long deadline = clock.nanos() + timeoutFor(expected).toNanos();
    while (tally.payloads() < expected) {
      if (clock.nanos() > deadline) {
        throw new IllegalStateException(
            route + ": " + tally.payloads() + " of " + expected + " deliveries arrived in time");
      }
      LockSupport.parkNanos(2_000_000);
    }
  }

  /**
   * Waits until the server's log holds {@code expected} entries for these webhooks: the recorder
   * commits a moment after the sink has answered. Returns the count, lower on a timeout.
   */
  private long awaitLogged(List<String> webhookIds, long expected) {
    long deadline = clock.nanos() + timeoutFor(expected).toNanos();
    while (true) {
      long logged = 0;
      for (String id : webhookIds) {
        logged += store.log(accountId, id, 0, 1).total();
      }
      if (logged >= expected || clock.nanos() > deadline) {
        return logged;
      }
      LockSupport.parkNanos(20_000_000);
    }
  }

  /** Generous: a slow store on a busy machine must make a run slow, not fail it. */
  private static Duration timeoutFor(long deliveries) {
    return Duration.ofSeconds(120 + deliveries / 200);
  }

  private void parkUntil(long nanos) {
    long left;
    while ((left = nanos - clock.nanos()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private static List<Long> perSecond(List<long[]> samples) {
    List<Long> out = new ArrayList<>();
    int step = (int) (1_000_000_000L / SAMPLE_NANOS);
    for (int i = step; i < samples.size(); i += step) {
      out.add(samples.get(i)[1] - samples.get(i - step)[1]);
    }
    return out;
  }

  private interface Task {
    void run() throws Exception;
  }

  /** Runs {@code n} copies of {@code task} on virtual threads and rethrows the first failure. */
  private static void runAll(int n, Task task) {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        running.add(
            threads.submit(
                () -> {
                  task.run();
                  return null;
                }));
      }
      awaitAll(running);
    }
  }

  private static void awaitAll(List<Future<?>> running) {
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  /**
   * CPU time so far of the server's process, of this one (the producer and the sink) and of a
   * PostgreSQL server on this machine ({@code -1} when there is none).
   */
  private record CpuMark(long serverNanos, long benchNanos, long databaseNanos) {
    BenchReport.CpuPerDelivery perDelivery(CpuMark end, long deliveries) {
      if (deliveries == 0) {
        return new BenchReport.CpuPerDelivery(0, 0, null);
      }
      return new BenchReport.CpuPerDelivery(
          (end.serverNanos - serverNanos) / 1e3 / deliveries,
          (end.benchNanos - benchNanos) / 1e3 / deliveries,
          databaseNanos < 0 ? null : (end.databaseNanos - databaseNanos) / 1e3 / deliveries);
    }
  }

  /** Payloads the measured node leased so far, at publish and by a claim. */
  private record Leased(double atPublish, double byClaim) {
    /**
     * The share of the payloads leased between this and {@code end} that were leased at publish.
     */
    double atPublishUntil(Leased end) {
      double live = end.atPublish - atPublish;
      double total = live + end.byClaim - byClaim;
      return total == 0 ? 0 : live / total;
    }
  }

  private static final Pattern LEASED =
      Pattern.compile(
          "^hookwire_payloads_leased_total\\{[^}]*path=\"(live|claim)\"[^}]*} (\\S+)$",
          Pattern.MULTILINE);

  private Leased leased() {
    Map<String, Double> byPath = new HashMap<>();
    Matcher m = LEASED.matcher(publisher.metrics());
    while (m.find()) {
      byPath.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return new Leased(byPath.getOrDefault("live", 0.0), byPath.getOrDefault("claim", 0.0));
  }

  private CpuMark cpuMark() {
    return new CpuMark(
        server.cpuNanos(),
        processCpuNanos(),
        localDatabase.map(LocalDatabase::cpuNanos).orElse(-1L));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private void sayLatency(BenchReport.Latency latency) {
    say(
        "latency at %,d events/s: %,d of %,d accepted (%,.0f/s), p50 %.1f ms, p99 %.1f ms,"
            + " p99.9 %.1f ms",
        latency.offeredPerSecond(),
        latency.accepted(),
        latency.events(),
        latency.acceptedPerSecond(),
        latency.p50Millis(),
        latency.p99Millis(),
        latency.p999Millis());
  }

  private void say(String format, Object... args) {
    progress.printf(Locale.ROOT, "bench: " + format + "%n", args);
    progress.flush();
  }

  private static String format(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("hookwire-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is no reason to fail the run
    }
  }
}
