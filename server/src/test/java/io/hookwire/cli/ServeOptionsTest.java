package io.hookwire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwire.config.Config;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hookwire serve}'s options: Config's defaults, written once, and what each changes. */
class ServeOptionsTest {
  private static Config parse(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve.config();
  }

  @Test
  void withNoOptionsTheServerRunsOnConfigsDefaults() {
    // The test environment sets no HOOKWIRE_* option variable, so every default is Config's.
    assertThat(parse()).isEqualTo(Config.defaults(Path.of(Defaults.DATA_DIR)));
  }

  @Test
  void helpShowsConfigsDefaults() {
    StringWriter help = new StringWriter();
    new CommandLine(new ServeCommand()).setOut(new PrintWriter(help)).execute("--help");
    Config defaults = Config.defaults(Path.of(Defaults.DATA_DIR));
    assertThat(help.toString().replaceAll("\\s+", " "))
        .contains("default: " + defaults.retrySchedule())
        .contains("HOOKWIRE_DELIVERY_TIMEOUT, default: 5s")
        .contains("HOOKWIRE_IDEMPOTENCY_WINDOW, default: 1d")
        .contains("HOOKWIRE_PUBLISH_RATE_LIMIT, default: 10000)");
  }

  @Test
  void theIdempotencyWindowIsAnOption() {
    assertThat(parse("--idempotency-window", "1h").idempotencyWindow())
        .isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> parse("--idempotency-window", "0s"))
        .hasMessageContaining("--idempotency-window must be positive");
  }

  @Test
  void theLeaseFollowsTheDeliveryTimeoutUnlessGiven() {
    assertThat(parse("--delivery-timeout", "10s").deliveryLease())
        .isEqualTo(Config.defaultLease(Duration.ofSeconds(10)));
    assertThat(parse("--delivery-timeout", "10s", "--lease", "5m").deliveryLease())
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void eachOptionReadsItsOwnEnvironmentVariable() {
    assertThat(Defaults.environmentVariable("--concurrency-per-destination"))
        .isEqualTo("HOOKWIRE_CONCURRENCY_PER_DESTINATION");
  }
}
