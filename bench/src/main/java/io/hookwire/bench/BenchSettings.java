package io.hookwire.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The sizes of one benchmark run.
 *
 * @param databaseUrl PostgreSQL to measure; SQLite in {@code dataDir} when empty
 * @param dataDir where SQLite and the master key live; a temporary directory, deleted after, when
 *     empty
 * @param databasePoolSize PostgreSQL connections of the server
 * @param warmup how long the JIT is warmed up before anything is measured
 * @param phase how long each timed phase (sink limit, throughput, both latency phases, fan-out)
 *     runs; the retry wake-up phase publishes for as long, up to 3 s
 * @param backlog events published through the ingest phase and held, then drained by one enable
 * @param latencyRate the fixed offered rate of the latency phase, events per second
 * @param highRate the fixed offered rate of the high-rate latency phase, events per second
 * @param fanOut webhooks subscribed to the fan-out phase's event type
 * @param dataBytes about how large each event's data is
 * @param concurrency requests on the wire per webhook (the server's {@code
 *     --concurrency-per-webhook}), and the sink limit's concurrency
 * @param batch events per {@code POST /v2/events}
 * @param publishers concurrent publishing connections of the ingest phase
 * @param profileDir where to write a JFR recording of each phase ({@code <phase>.jfr}), if anywhere
 * @param nodes Hookwire servers on the database: 2 adds the phase where a retry one node recorded
 *     comes due on the other (PostgreSQL only)
 */
public record BenchSettings(
    Optional<String> databaseUrl,
    Optional<Path> dataDir,
    int databasePoolSize,
    Duration warmup,
    Duration phase,
    int backlog,
    int latencyRate,
    int highRate,
    int fanOut,
    int dataBytes,
    int concurrency,
    int batch,
    int publishers,
    Optional<Path> profileDir,
    int nodes) {

  public BenchSettings {
    if (phase.isNegative() || phase.isZero()) {
      throw new IllegalArgumentException("the phase duration must be positive");
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("the warm-up must not be negative");
    }
    if (backlog < 1
        || latencyRate < 1
        || highRate < 1
        || fanOut < 1
        || concurrency < 1
        || publishers < 1) {
      throw new IllegalArgumentException(
          "backlog, latency rates, fan-out, concurrency and publishers must be at least 1");
    }
    if (nodes < 1 || nodes > 2) {
      throw new IllegalArgumentException("--nodes must be 1 or 2");
    }
    if (nodes == 2 && databaseUrl.isEmpty()) {
      // SQLite belongs to one process: two nodes need a database they can share.
      throw new IllegalArgumentException(
          "--nodes 2 needs --database-url: both nodes share one PostgreSQL database");
    }
    if (batch < 1 || batch > io.hookwire.service.Events.MAX_EVENTS_PER_REQUEST) {
      throw new IllegalArgumentException(
          "the batch must be 1 to "
              + io.hookwire.service.Events.MAX_EVENTS_PER_REQUEST
              + " events");
    }
    if (dataBytes < 0 || dataBytes > 64 * 1024) {
      throw new IllegalArgumentException("the data size must be 0 to 65536 bytes");
    }
  }

  /**
   * About three minutes on two cores: 15 s of warm-up (a third of it for the benchmark's own sender
   * and sink, two thirds for the server, whose JVM is its own and so warms only then), 15 s per
   * timed phase, and a backlog of 100,000.
   */
  public static BenchSettings defaults() {
    return new BenchSettings(
        Optional.empty(),
        Optional.empty(),
        16,
        Duration.ofSeconds(15),
        Duration.ofSeconds(15),
        100_000,
        1_000,
        5_000,
        100,
        256,
        16,
        1_000,
        4,
        Optional.empty(),
        1);
  }

  /** Tiny sizes that still run every phase: a smoke test of the benchmark itself. */
  public static BenchSettings quick() {
    return new BenchSettings(
        Optional.empty(),
        Optional.empty(),
        8,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        500,
        200,
        500,
        10,
        256,
        16,
        1_000,
        2,
        Optional.empty(),
        1);
  }
}
