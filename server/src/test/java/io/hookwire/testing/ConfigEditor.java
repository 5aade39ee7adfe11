package io.hookwire.testing;

import io.hookwire.config.Config;
import io.hookwire.core.RetrySchedule;
import io.hookwire.security.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Changes a few settings of a {@link Config}, keeping the rest: {@code TestServer.start(kind, c ->
 * ConfigEditor.of(c).deliveryTimeout(Duration.ofMillis(500)).build(), b -> b)}.
 */
public final class ConfigEditor {
  private final Config.Builder builder;

  private ConfigEditor(Config config) {
    this.builder = config.toBuilder();
  }

  public static ConfigEditor of(Config config) {
    return new ConfigEditor(config);
  }

  public ConfigEditor deliveryTimeout(Duration timeout) {
    builder.deliveryTimeout(timeout);
    return this;
  }

  public ConfigEditor retrySchedule(String schedule) {
    builder.retrySchedule(RetrySchedule.parse(schedule));
    return this;
  }

  public ConfigEditor concurrencyPerWebhook(int concurrency) {
    builder.concurrencyPerWebhook(concurrency);
    return this;
  }

  public ConfigEditor deliveryLease(Duration lease) {
    builder.deliveryLease(lease);
    return this;
  }

  /** The production default: https:// to globally reachable addresses only. */
  public ConfigEditor strict() {
    builder.allowPrivateTargets(false).allowTargets(List.of());
    return this;
  }

  public ConfigEditor allowPrivateTargets(boolean allow) {
    builder.allowPrivateTargets(allow);
    return this;
  }

  /** Strict, but for these CIDR ranges, as {@code --allow-targets} takes them. */
  public ConfigEditor allowTargets(String... ranges) {
    strict();
    builder.allowTargets(Arrays.stream(ranges).map(Cidr::parse).toList());
    return this;
  }

  /** Another server's storage: its data directory and, for PostgreSQL, its database. */
  public ConfigEditor storage(Path dataDir, Optional<String> databaseUrl) {
    builder.dataDir(dataDir).databaseUrl(databaseUrl);
    return this;
  }

  public ConfigEditor databasePoolSize(int size) {
    builder.databasePoolSize(size);
    return this;
  }

  public ConfigEditor masterKey(String base64Key) {
    builder.masterKey(Optional.of(base64Key));
    return this;
  }

  public ConfigEditor secretRotationGrace(Duration grace) {
    builder.secretRotationGrace(grace);
    return this;
  }

  public ConfigEditor maxEventBytes(int bytes) {
    builder.maxEventBytes(bytes);
    return this;
  }

  /** The limit on every route but publishing: managing webhooks, the log, {@code /v2/me}. */
  public ConfigEditor rateLimit(double perSecond, int burst) {
    builder.rateLimit(perSecond, burst);
    return this;
  }

  /** The limit on {@code POST /v2/event} and {@code POST /v2/events}. */
  public ConfigEditor publishRateLimit(double perSecond, int burst) {
    builder.publishRateLimit(perSecond, burst);
    return this;
  }

  public ConfigEditor concurrencyPerDestination(int concurrency) {
    builder.concurrencyPerDestination(concurrency);
    return this;
  }

  public Config build() {
    return builder.build();
  }
}
