package io.hookwire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.core.Json;
import io.hookwire.testing.StoreKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

class BenchSmokeTest {
  // The benchmark is how performance targets are checked; it is not run by anything else, so this
  // runs it end to end at the tiniest size on each store to keep it from rotting. It asserts that
  // every figure is there and consistent, never how fast anything was. PostgreSQL runs with two
  // nodes, which adds the retry wake-up phase.
  @ParameterizedTest
  @EnumSource(StoreKind.class)
  // The benchmark's own publishes wait without a timeout (see Publisher): a server that never
  // answers fails here, not by hanging the build.
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void benchmarkReportsEveryFigureAtTheTiniestSize(StoreKind kind, @TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("results/bench.json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--quick",
                "--warmup",
                "1",
                "--duration",
                "1",
                "--backlog",
                "200",
                "--fan-out",
                "5",
                "--latency-rate",
                "100",
                "--high-rate",
                "300",
                "--out",
                out.toString()));
    boolean twoNodes = kind == StoreKind.POSTGRES;
    kind.freshDatabaseUrl()
        .ifPresent(url -> args.addAll(List.of("--database-url", url, "--nodes", "2")));
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    CommandLine cli =
        new CommandLine(new BenchCommand())
            .setOut(new PrintWriter(stdout))
            .setErr(new PrintWriter(stderr));

    int exit = cli.execute(args.toArray(String[]::new));

    assertThat(exit).as("exit code; stderr:%n%s", stderr).isZero();
    JsonNode r = Json.parse(Files.readAllBytes(out));
    assertThat(r.path("store").asText())
        .isEqualTo(kind == StoreKind.POSTGRES ? "PostgreSQL" : "SQLite");

    JsonNode sink = r.path("sinkLimit");
    assertThat(sink.path("requests").asLong()).isPositive();
    assertThat(sink.path("requestsPerSecond").asDouble()).isPositive();
    assertThat(sink.path("concurrency").asInt()).isEqualTo(16);

    JsonNode live = r.path("deliveryThroughput");
    assertThat(live.path("events").asLong()).isPositive();
    assertThat(live.path("deliveries").asLong()).isEqualTo(live.path("events").asLong());
    assertThat(live.path("logged").asLong())
        .as("every delivery request is logged")
        .isEqualTo(live.path("deliveries").asLong());
    assertThat(live.path("deliveriesPerSecond").asDouble()).isPositive();
    assertThat(live.path("ratioToSinkLimit").asDouble())
        .isCloseTo(
            live.path("deliveriesPerSecond").asDouble() / sink.path("requestsPerSecond").asDouble(),
            Percentage.withPercentage(0.1));
    assertThat(live.at("/cpuPerDelivery/serverMicros").asDouble())
        .as("the server runs in a process of its own, whose CPU time is its own")
        .isPositive();
    assertThat(live.at("/cpuPerDelivery/producerAndSinkMicros").asDouble()).isPositive();
    assertThat(live.has("leasedAtPublish")).isTrue();
    assertThat(live.path("leasedAtPublish").asDouble())
        .as("a share of the phase's payloads")
        .isBetween(0.0, 1.0);
    if (kind == StoreKind.POSTGRES) {
      assertThat(live.at("/cpuPerDelivery/databaseMicros").asDouble())
          .as("the test database runs on this machine: its processes' CPU time is counted")
          .isPositive();
    } else {
      assertThat(live.at("/cpuPerDelivery/databaseMicros").isNull())
          .as("SQLite's work is the server's")
          .isTrue();
    }

    JsonNode ingest = r.path("ingest");
    assertThat(ingest.path("events").asLong()).isEqualTo(200);
    assertThat(ingest.path("eventsPerSecond").asDouble()).isPositive();

    JsonNode drain = r.path("backlogDrain");
    assertThat(drain.path("payloads").asLong()).isEqualTo(200);
    assertThat(drain.path("logged").asLong()).isEqualTo(200);
    assertThat(drain.path("deliveriesPerSecond").asDouble()).isPositive();
    assertThat(drain.path("ratioToLive").asDouble()).isPositive();
    assertThat(drain.path("ratioToSinkLimit").asDouble())
        .isCloseTo(
            drain.path("deliveriesPerSecond").asDouble()
                / sink.path("requestsPerSecond").asDouble(),
            Percentage.withPercentage(0.1));

    assertOpenLoopLatency(r.path("latency"), 100);
    assertOpenLoopLatency(r.path("latencyHigh"), 300);

    JsonNode fanOut = r.path("fanOut");
    assertThat(fanOut.path("webhooks").asInt()).isEqualTo(5);
    assertThat(fanOut.path("events").asLong()).isPositive();
    assertThat(fanOut.path("deliveries").asLong()).isEqualTo(5 * fanOut.path("events").asLong());
    assertThat(fanOut.path("logged").asLong()).isEqualTo(fanOut.path("deliveries").asLong());
    assertThat(fanOut.path("deliveriesPerSecond").asDouble()).isPositive();
    assertThat(fanOut.has("leasedAtPublish")).isTrue();
    assertThat(fanOut.path("leasedAtPublish").asDouble()).isBetween(0.0, 1.0);
    assertThat(fanOut.path("ratioToFanOut1").asDouble()).isPositive();
    assertThat(fanOut.path("ratioToSinkLimit").asDouble())
        .isCloseTo(
            fanOut.path("deliveriesPerSecond").asDouble()
                / sink.path("requestsPerSecond").asDouble(),
            Percentage.withPercentage(0.1));

    JsonNode retry = r.path("retryWakeUp");
    if (twoNodes) {
      assertThat(retry.path("nodes").asInt()).isEqualTo(2);
      long payloads = retry.path("payloads").asLong();
      assertThat(payloads).isPositive();
      assertThat(retry.path("logged").asLong())
          .as("each payload's failed first attempt and its retry are logged")
          .isEqualTo(2 * payloads);
      assertThat(retry.path("retryDelaySeconds").asDouble()).isPositive();
      double p50 = retry.path("p50Millis").asDouble();
      assertThat(retry.path("p90Millis").asDouble()).isGreaterThanOrEqualTo(p50);
      assertThat(retry.path("p99Millis").asDouble())
          .isGreaterThanOrEqualTo(retry.path("p90Millis").asDouble());
      assertThat(retry.path("maxMillis").asDouble())
          .isGreaterThanOrEqualTo(retry.path("p99Millis").asDouble());
    } else {
      assertThat(retry.isNull()).as("no retry wake-up phase with one node").isTrue();
    }

    JsonNode flood = r.path("flood");
    assertThat(flood.path("bodyBytes").asLong())
        .as("batches just under the 16 MiB bound")
        .isBetween(15_000_000L, 16L * 1024 * 1024);
    assertThat(flood.path("bodiesPerSecond").asDouble()).isPositive();
    assertThat(flood.path("quietP99Millis").asDouble()).isPositive();
    assertThat(flood.path("p99Millis").asDouble())
        .isGreaterThanOrEqualTo(flood.path("p50Millis").asDouble());
    assertThat(flood.path("maxMillis").asDouble())
        .isGreaterThanOrEqualTo(flood.path("p99Millis").asDouble());

    JsonNode memory = r.path("memory");
    assertThat(memory.path("maxHeapMb").asLong()).as("the server's heap").isEqualTo(512);
    assertThat(memory.path("peakHeapUsedMb").asDouble())
        .as("from the server's collector log: a run this size collects at least once")
        .isPositive();
    assertThat(memory.path("peakRssMb").asDouble()).isPositive();
    assertThat(memory.path("phases").size()).isEqualTo(twoNodes ? 9 : 8);

    assertThat(r.path("machine").path("cpus").asInt()).isPositive();
    assertThat(r.path("settings").path("nodes").asInt()).isEqualTo(twoNodes ? 2 : 1);
    assertThat(r.path("checks").size()).isEqualTo(twoNodes ? 11 : 10);
    assertThat(stdout.toString())
        .contains("sink limit", "delivery throughput", "backlog drain of 200", "fan-out 1 -> 5")
        .contains("single events offered at 300/s", "CPU per delivery")
        .contains("another account while one floods")
        .contains("retry wake-up on the other node")
        .contains(out.toString());
    if (!twoNodes) {
      assertThat(stdout.toString()).contains("not measured: needs --nodes 2");
    }
  }

  @Test
  void twoNodesWithoutADatabaseUrlAreRefusedBeforeAnythingRuns(@TempDir Path dir) {
    StringWriter stderr = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(stderr));

    int exit = cli.execute("--quick", "--nodes", "2", "--out", dir.resolve("b.json").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(stderr.toString()).contains("--nodes 2 needs --database-url");
    assertThat(dir.resolve("b.json")).doesNotExist();
  }

  /** An open-loop latency phase: every publish answered or failed, and the figures in order. */
  private static void assertOpenLoopLatency(JsonNode latency, int rate) {
    long events = latency.path("events").asLong();
    long accepted = latency.path("accepted").asLong();
    long refused = latency.path("refused").asLong();
    assertThat(latency.path("offeredPerSecond").asInt()).isEqualTo(rate);
    assertThat(events).as("one second's worth").isEqualTo(rate);
    assertThat(accepted + refused + latency.path("errors").asLong()).isEqualTo(events);
    assertThat(accepted).as("refusals are reported; over half is fatal").isPositive();
    long byStatus = 0;
    for (JsonNode n : latency.path("refusedByStatus")) {
      byStatus += n.asLong();
    }
    assertThat(byStatus).isEqualTo(refused);
    assertThat(latency.has("firstRefusal")).isTrue();
    assertThat(latency.path("seconds").asDouble()).isPositive();
    assertThat(latency.path("acceptedPerSecond").asDouble())
        .isCloseTo(accepted / latency.path("seconds").asDouble(), Percentage.withPercentage(0.1));
    assertThat(latency.path("maxInFlight").asInt()).isPositive();
    double p50 = latency.path("p50Millis").asDouble();
    double p90 = latency.path("p90Millis").asDouble();
    double p99 = latency.path("p99Millis").asDouble();
    double p999 = latency.path("p999Millis").asDouble();
    assertThat(p50).isPositive();
    assertThat(p90).isGreaterThanOrEqualTo(p50);
    assertThat(p99).isGreaterThanOrEqualTo(p90);
    assertThat(p999).isGreaterThanOrEqualTo(p99);
    assertThat(latency.path("maxMillis").asDouble()).isGreaterThanOrEqualTo(p999);
  }
}
