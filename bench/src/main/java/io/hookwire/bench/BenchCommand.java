package io.hookwire.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hookwire bench}, the main class of {@code hookwire-bench.jar}: the launcher at the
 * repository's root runs that jar for {@code bench} and the server's jar for every other command.
 * The benchmark's jar has the server's on its class path, and {@link ServerProcess} starts the
 * servers it measures from it.
 */
@Command(
    name = "hookwire bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure this machine: start an HTTP sink in this process and a Hookwire server in a process"
          + " of its own, drive the server through its API and report sink limit, delivery throughput, ingest rate,"
          + " latency at two rates, fan-out, backlog drain and memory, as a table and as JSON;"
          + " with --nodes 2, also how soon a retry recorded by one node is sent by another.",
      "Use a database of its own with --database-url: the run writes hundreds of thousands of"
          + " rows (and removes its webhooks afterwards)."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command as {@code hookwire} runs its others: an invalid setting or a run that cannot go on
   * (an {@link IllegalArgumentException} or {@link IllegalStateException}) ends with its message
   * and exit code 2, not a stack trace.
   */
  private static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            commandLine.getErr().println("hookwire: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    return cli;
  }

  @Option(
      names = "--database-url",
      description =
          "PostgreSQL JDBC URL of a database for the benchmark; SQLite in a temporary directory"
              + " when absent.")
  String databaseUrl;

  @Option(
      names = "--data-dir",
      description = "Directory for SQLite and the master key (default: a temporary one, removed).")
  Path dataDir;

  @Option(
      names = "--database-pool-size",
      description = "PostgreSQL connections of the server (default: 16, --quick 8).")
  Integer databasePoolSize;

  @Option(
      names = "--quick",
      description = "Tiny sizes (a few seconds per store): checks that the benchmark works.")
  boolean quick;

  @Option(
      names = "--warmup",
      description = "Seconds of JIT warm-up before measuring (default: 15, --quick 1).")
  Integer warmupSeconds;

  @Option(
      names = "--duration",
      description =
          "Seconds of each timed phase: sink limit, throughput, both latency phases, fan-out"
              + " (default: 15, --quick 2).")
  Integer phaseSeconds;

  @Option(
      names = "--backlog",
      description =
          "Events published into a disabled webhook, then drained by enabling it (default:"
              + " 100000, --quick 500).")
  Integer backlog;

  @Option(
      names = "--latency-rate",
      description = "Events per second offered in the latency phase (default: 1000, --quick 200).")
  Integer latencyRate;

  @Option(
      names = "--high-rate",
      description =
          "Events per second offered in the high-rate latency phase (default: 5000, --quick 500).")
  Integer highRate;

  @Option(
      names = "--fan-out",
      description = "Webhooks one event goes to in the fan-out phase (default: 100, --quick 10).")
  Integer fanOut;

  @Option(
      names = "--data-bytes",
      description = "About how large each event's data is, in bytes (default: 256).")
  Integer dataBytes;

  @Option(
      names = "--concurrency",
      description =
          "Requests on the wire per webhook, as serve's --concurrency-per-webhook; also the sink"
              + " limit's concurrency (default: 16).")
  Integer concurrency;

  @Option(
      names = "--publishers",
      description = "Concurrent connections publishing in the ingest phase (default: 4).")
  Integer publishers;

  @Option(
      names = "--nodes",
      description =
          "Hookwire servers sharing the database: 2 (needs --database-url) adds a phase where a"
              + " retry recorded by one node comes due after it has stopped (default: 1).")
  Integer nodes;

  @Option(
      names = "--profile",
      description =
          "Directory to write a JFR recording of each phase to (<phase>.jfr), for"
              + " `jfr print --events jdk.ExecutionSample` or JDK Mission Control.")
  Path profileDir;

  @Option(
      names = "--out",
      description =
          "Where to write the figures as JSON (default: bench-results/<store>-<date-time>.json).")
  Path out;

  @Override
  public Integer call() throws Exception {
    BenchSettings base = quick ? BenchSettings.quick() : BenchSettings.defaults();
    BenchSettings settings;
    try {
      settings =
          new BenchSettings(
              Optional.ofNullable(databaseUrl).filter(u -> !u.isBlank()),
              Optional.ofNullable(dataDir),
              or(databasePoolSize, base.databasePoolSize()),
              warmupSeconds == null ? base.warmup() : Duration.ofSeconds(warmupSeconds),
              phaseSeconds == null ? base.phase() : Duration.ofSeconds(phaseSeconds),
              or(backlog, base.backlog()),
              or(latencyRate, base.latencyRate()),
              or(highRate, base.highRate()),
              or(fanOut, base.fanOut()),
              or(dataBytes, base.dataBytes()),
              or(concurrency, base.concurrency()),
              base.batch(),
              or(publishers, base.publishers()),
              Optional.ofNullable(profileDir),
              or(nodes, base.nodes()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    BenchReport report = Bench.run(settings, stderr);
    Path file = out != null ? out : defaultOut(settings);
    report.writeJson(file);
    stdout.println();
    report.printTable(stdout);
    stdout.println();
    stdout.println("Figures written to " + file);
    stdout.flush();
    return 0;
  }

  private static int or(Integer value, int otherwise) {
    return value == null ? otherwise : value;
  }

  private static Path defaultOut(BenchSettings settings) {
    String store = settings.databaseUrl().isPresent() ? "postgresql" : "sqlite";
    String when = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("bench-results", store + "-" + when + ".json");
  }
}
