package io.hookwire.cli;

import static java.util.Map.entry;

import io.hookwire.config.Config;
import io.hookwire.core.RetrySchedule;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Each option's default: its {@code HOOKWIRE_*} environment variable ({@code --delivery-timeout}
 * reads {@code HOOKWIRE_DELIVERY_TIMEOUT}) when set, else {@link Config}'s own default, so the
 * defaults are written once, in {@link Config.Builder}, and {@code --help} shows them.
 */
final class Defaults implements IDefaultValueProvider {
  /** Where the data goes when neither {@code --data-dir} nor {@code HOOKWIRE_DATA_DIR} says. */
  static final String DATA_DIR = "hookwire-data";

  private static final Config CONFIG = Config.defaults(Path.of(DATA_DIR));

  private static final Map<String, String> TEXT =
      Map.ofEntries(
          entry("--data-dir", DATA_DIR),
          entry("--database-pool-size", text(CONFIG.databasePoolSize())),
          entry("--host", CONFIG.host()),
          entry("--port", text(CONFIG.port())),
          entry("--allow-private-targets", Boolean.toString(CONFIG.allowPrivateTargets())),
          entry("--allow-targets", ""),
          entry("--retry-schedule", CONFIG.retrySchedule().toString()),
          entry("--delivery-timeout", text(CONFIG.deliveryTimeout())),
          entry("--concurrency-per-webhook", text(CONFIG.concurrencyPerWebhook())),
          entry("--concurrency-per-destination", text(CONFIG.concurrencyPerDestination())),
          entry("--secret-rotation-grace", text(CONFIG.secretRotationGrace())),
          entry("--idempotency-window", text(CONFIG.idempotencyWindow())),
          entry("--max-event-bytes", text(CONFIG.maxEventBytes())),
          entry("--rate-limit", text(CONFIG.rateLimitPerSecond())),
          entry("--rate-limit-burst", text(CONFIG.rateLimitBurst())),
          entry("--publish-rate-limit", text(CONFIG.publishRateLimitPerSecond())),
          entry("--publish-rate-limit-burst", text(CONFIG.publishRateLimitBurst())),
          entry("--failed-auth-limit", text(CONFIG.failedAuthLimit())),
          entry("--min-retry-delay", text(CONFIG.minRetryDelay())));

  @Override
  public String defaultValue(ArgSpec argument) {
    if (!(argument instanceof OptionSpec option)) {
      return null;
    }
    String name = option.longestName();
    String fromEnvironment = System.getenv(environmentVariable(name));
    return fromEnvironment != null ? fromEnvironment : TEXT.get(name);
  }

  /** {@code --delivery-timeout} → {@code HOOKWIRE_DELIVERY_TIMEOUT}. */
  static String environmentVariable(String option) {
    return "HOOKWIRE_" + option.replaceFirst("^--", "").toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static String text(long n) {
    return Long.toString(n);
  }

  private static String text(double n) {
    return BigDecimal.valueOf(n).stripTrailingZeros().toPlainString();
  }

  /** In the units the options take: {@code 5s}, {@code 24h}. */
  private static String text(Duration d) {
    return new RetrySchedule(List.of(d)).toString();
  }
}
