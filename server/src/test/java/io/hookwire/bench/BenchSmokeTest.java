package io.hookwire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.api.Json;
import io.hookwire.cli.Main;
import io.hookwire.testing.StoreKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

class BenchSmokeTest {
  // The benchmark is how performance targets are checked; it is not run by anything else, so this
  // runs it end to end at the tiniest size on each store to keep it from rotting. It asserts that
  // every figure is there and consistent, never how fast anything was.
  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void benchmarkReportsEveryFigureAtTheTiniestSize(StoreKind kind, @TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("results/bench.json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "bench",
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
                "--out",
                out.toString()));
    kind.freshDatabaseUrl().ifPresent(url -> args.addAll(List.of("--database-url", url)));
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    CommandLine cli =
        new CommandLine(new Main()).setOut(new PrintWriter(stdout)).setErr(new PrintWriter(stderr));

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
            org.assertj.core.data.Percentage.withPercentage(0.1));

    JsonNode ingest = r.path("ingest");
    assertThat(ingest.path("events").asLong()).isEqualTo(200);
    assertThat(ingest.path("eventsPerSecond").asDouble()).isPositive();

    JsonNode drain = r.path("backlogDrain");
    assertThat(drain.path("payloads").asLong()).isEqualTo(200);
    assertThat(drain.path("logged").asLong()).isEqualTo(200);
    assertThat(drain.path("deliveriesPerSecond").asDouble()).isPositive();
    assertThat(drain.path("ratioToLive").asDouble()).isPositive();

    JsonNode latency = r.path("latency");
    assertThat(latency.path("offeredPerSecond").asInt()).isEqualTo(100);
    assertThat(latency.path("events").asLong()).isEqualTo(100);
    assertThat(latency.has("failedPublishes")).isTrue();
    double p50 = latency.path("p50Millis").asDouble();
    double p99 = latency.path("p99Millis").asDouble();
    double p999 = latency.path("p999Millis").asDouble();
    assertThat(p50).isPositive();
    assertThat(p99).isGreaterThanOrEqualTo(p50);
    assertThat(p999).isGreaterThanOrEqualTo(p99);
    assertThat(latency.path("maxMillis").asDouble()).isGreaterThanOrEqualTo(p999);

    JsonNode fanOut = r.path("fanOut");
    assertThat(fanOut.path("webhooks").asInt()).isEqualTo(5);
    assertThat(fanOut.path("events").asLong()).isPositive();
    assertThat(fanOut.path("deliveries").asLong()).isEqualTo(5 * fanOut.path("events").asLong());
    assertThat(fanOut.path("logged").asLong()).isEqualTo(fanOut.path("deliveries").asLong());
    assertThat(fanOut.path("deliveriesPerSecond").asDouble()).isPositive();
    assertThat(fanOut.path("ratioToFanOut1").asDouble()).isPositive();

    JsonNode memory = r.path("memory");
    assertThat(memory.path("maxHeapMb").asLong()).isPositive();
    assertThat(memory.path("peakHeapUsedMb").asDouble()).isPositive();
    assertThat(memory.path("peakRssMb").asDouble()).isPositive();
    assertThat(memory.path("phases").size()).isEqualTo(6);

    assertThat(r.path("machine").path("cpus").asInt()).isPositive();
    assertThat(r.path("checks").size()).isEqualTo(6);
    assertThat(stdout.toString())
        .contains("sink limit", "delivery throughput", "backlog drain of 200", "fan-out 1 -> 5")
        .contains(out.toString());
  }
}
