package io.hookwire.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every figure of one run, as the JSON file holds them and the table shows them. Rates are per
 * second of wall-clock time. {@code retryWakeUp} is null unless the run had two nodes.
 */
public record BenchReport(
    String hookwire,
    String startedAt,
    String store,
    Machine machine,
    Settings settings,
    SinkLimit sinkLimit,
    Throughput deliveryThroughput,
    Ingest ingest,
    Latency latency,
    Latency latencyHigh,
    FanOut fanOut,
    BacklogDrain backlogDrain,
    RetryWakeUp retryWakeUp,
    Flood flood,
    Memory memory,
    List<Check> checks) {

  /**
   * @param loadAverageBefore the 1-minute load average as the run began: other work on the machine
   */
  public record Machine(
      int cpus,
      String cpuModel,
      long memoryMb,
      String os,
      String jdk,
      long maxHeapMb,
      double loadAverageBefore,
      double loadAverageAfter) {}

  /** The sizes the run used (see {@link BenchSettings}). */
  public record Settings(
      double warmupSeconds,
      double phaseSeconds,
      int backlog,
      int latencyRate,
      int highRate,
      int fanOut,
      int dataBytes,
      int concurrency,
      int batch,
      int publishers,
      int databasePoolSize,
      int nodes) {
    static Settings of(BenchSettings s) {
      return new Settings(
          s.warmup().toMillis() / 1000.0,
          s.phase().toMillis() / 1000.0,
          s.backlog(),
          s.latencyRate(),
          s.highRate(),
          s.fanOut(),
          s.dataBytes(),
          s.concurrency(),
          s.batch(),
          s.publishers(),
          s.databasePoolSize(),
          s.nodes());
    }
  }

  public record SinkLimit(
      int concurrency, int bodyBytes, long requests, double seconds, double requestsPerSecond) {}

  /**
   * @param deliveriesPerSecond arrivals at the sink while publishing kept a backlog, past a ramp
   *     (or, in a phase too short for that, deliveries over the time from its start to the last
   *     arrival)
   * @param logged log entries the server wrote for the phase's webhook: every request is logged
   * @param leasedAtPublish the share of the phase's payloads that the server leased at publish and
   *     sent from memory; the others it wrote pending and claimed later
   */
  public record Throughput(
      long events,
      long deliveries,
      double seconds,
      double deliveriesPerSecond,
      double ratioToSinkLimit,
      long logged,
      CpuPerDelivery cpuPerDelivery,
      double leasedAtPublish,
      List<Long> arrivalsPerSecond) {}

  public record Ingest(
      long events, int batchSize, int connections, double seconds, double eventsPerSecond) {}

  /**
   * Single events published open loop at a fixed rate: each publish starts when it is due, however
   * many are still unanswered. Latency is publish to arrival at the sink, measured from when each
   * publish was due (no coordinated omission), over the accepted events.
   *
   * @param events publishes offered: the rate times the phase's length
   * @param accepted publishes the server answered 200
   * @param refused publishes the server answered otherwise (429 rate limited, 503 busy, ...), by
   *     status in {@code refusedByStatus}; {@code firstRefusal} is the first one's status and body
   * @param errors publishes that got no answer at all (connection or timeout); {@code firstError}
   *     says how the first one failed
   * @param seconds from the first publish's due time to the last answer
   * @param acceptedPerSecond {@code accepted / seconds}: equal to the offered rate when the server
   *     keeps up, lower when it falls behind or refuses
   * @param maxInFlight the most publishes unanswered at once
   */
  public record Latency(
      int offeredPerSecond,
      long events,
      long accepted,
      long refused,
      Map<String, Long> refusedByStatus,
      String firstRefusal,
      long errors,
      String firstError,
      double seconds,
      double acceptedPerSecond,
      int maxInFlight,
      double p50Millis,
      double p90Millis,
      double p99Millis,
      double p999Millis,
      double maxMillis) {}

  /**
   * @param ratioToFanOut1 to the one-webhook phase's deliveries per second, per delivery
   * @param leasedAtPublish as in {@link Throughput}
   */
  public record FanOut(
      int webhooks,
      long events,
      long deliveries,
      double seconds,
      double deliveriesPerSecond,
      double ratioToSinkLimit,
      double ratioToFanOut1,
      long logged,
      CpuPerDelivery cpuPerDelivery,
      double leasedAtPublish,
      List<Long> arrivalsPerSecond) {}

  /**
   * @param seconds from the enabling request to the last arrival
   * @param ratioToLive to the one-webhook phase's deliveries per second
   */
  public record BacklogDrain(
      long payloads,
      double seconds,
      double deliveriesPerSecond,
      double ratioToSinkLimit,
      double ratioToLive,
      long logged,
      CpuPerDelivery cpuPerDelivery,
      List<Long> arrivalsPerSecond) {}

  /**
   * Two nodes on one database: a webhook whose first attempt of each payload fails, with one retry
   * after {@code retryDelaySeconds}; the node that recorded the failures stops before any retry is
   * due, so the other node sends every retry. Per payload, the wake-up is its second arrival at the
   * sink minus (its first arrival plus the retry delay); it includes the first answer's trip back
   * to the server, a fraction of a millisecond.
   *
   * @param nodes servers on the database when the phase began
   * @param payloads events published (each one payload, failed once and retried once)
   * @param logged log entries for the phase's webhook: two per payload
   */
  public record RetryWakeUp(
      int nodes,
      long payloads,
      double retryDelaySeconds,
      long logged,
      double p50Millis,
      double p90Millis,
      double p99Millis,
      double maxMillis) {}

  /**
   * The server's memory (with two nodes, the larger of the two), from its collector's log and the
   * kernel.
   *
   * @param maxHeapMb the heap the server was given
   * @param peakHeapUsedMb the most heap in use just before a collection: garbage not yet collected
   *     included
   * @param peakHeapAfterGcMb the most heap still in use right after a collection: the live set
   * @param peakRssMb the process's peak resident set (VmHWM), -1 where the kernel does not say
   * @param phases the same two heap peaks for each phase
   */
  /**
   * One account sends {@code senders} batches of {@code bodyBytes} (16 MB, each parsed in full,
   * then refused: its events are of no known type, so nothing is stored) as fast as it can, while
   * another account's {@code GET /v2/me}, offered at a fixed rate (open loop), measures what the
   * flood costs everyone else: from when each was due to its answer, first without the flood
   * ({@code quietP99Millis}), then with it.
   */
  public record Flood(
      long bodyBytes,
      int senders,
      double bodiesPerSecond,
      int probesPerSecond,
      double quietP99Millis,
      double p50Millis,
      double p99Millis,
      double maxMillis) {}

  public record Memory(
      long maxHeapMb,
      double peakHeapUsedMb,
      double peakHeapAfterGcMb,
      double peakRssMb,
      Map<String, PhaseMemory> phases) {}

  /**
   * CPU time per delivery, which moves less than rates when other work shares the machine. Their
   * sum is what one delivery costs the machine: at {@code cpus × 10⁶ / sum} deliveries per second
   * every core is busy.
   *
   * @param serverMicros the server's process (with two nodes, the one the phase measured)
   * @param producerAndSinkMicros the benchmark's process: the producer's publishes and the sink's
   *     side of each delivery (their sum is what runs before 2026-12-03 called {@code
   *     cpuMicrosPerDelivery}, with the server in the benchmark's process)
   * @param databaseMicros PostgreSQL's processes, when it runs on this machine; {@code null} on a
   *     database elsewhere, and on SQLite, whose work is the server's
   */
  public record CpuPerDelivery(
      double serverMicros, double producerAndSinkMicros, Double databaseMicros) {}

  public record PhaseMemory(double peakHeapUsedMb, double peakHeapAfterGcMb) {}

  /** One performance target (docs/performance.md) against what this run measured. */
  public record Check(String figure, String target, String measured, boolean met) {}

  /** The two-node phase's line in the table, whether it was measured or not. */
  static final String RETRY_WAKE_UP = "retry wake-up on the other node";

  static final String RETRY_TARGET = "p99 <= 50 ms";

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  public void writeJson(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    JSON.writeValue(file.toFile(), this);
  }

  /** The figures as a table, one line per figure, with the target beside each. */
  public void printTable(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "Hookwire %s benchmark on %s: %d CPUs (%s), %,d MB RAM, %s, producer and sink's max heap"
            + " %,d MB, load average %.2f before, %.2f after%n%n",
        hookwire,
        store,
        machine.cpus(),
        machine.cpuModel(),
        machine.memoryMb(),
        machine.jdk(),
        machine.maxHeapMb(),
        machine.loadAverageBefore(),
        machine.loadAverageAfter());
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"figure", "measured", "target", ""});
    rows.add(
        new String[] {
          "sink limit",
          String.format(
              Locale.ROOT,
              "%,.0f requests/s (%d concurrent, %d-byte bodies)",
              sinkLimit.requestsPerSecond(),
              sinkLimit.concurrency(),
              sinkLimit.bodyBytes()),
          "the machine's ceiling",
          ""
        });
    for (Check c : checks) {
      rows.add(new String[] {c.figure(), c.measured(), c.target(), c.met() ? "met" : "NOT MET"});
    }
    if (retryWakeUp == null) {
      rows.add(
          new String[] {
            RETRY_WAKE_UP, "not measured: needs --nodes 2 (and --database-url)", RETRY_TARGET, ""
          });
    }
    int[] widths = new int[4];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      out.printf(
          Locale.ROOT,
          "%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s%n",
          row[0],
          row[1],
          row[2],
          row[3]);
      if (r == 0) {
        out.println("-".repeat(widths[0] + widths[1] + widths[2] + widths[3] + 6));
      }
    }
    out.flush();
  }
}
