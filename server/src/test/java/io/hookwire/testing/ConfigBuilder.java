package io.hookwire.testing;

import io.hookwire.config.Config;
import io.hookwire.security.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Changes a few fields of a {@link Config} and keeps the rest, for {@code TestServer.start}'s
 * configure step: {@code c -> ConfigBuilder.from(c).allowPrivateTargets(false).build()}.
 */
public final class ConfigBuilder {
  private final Config c;
  private Path dataDir;
  private Optional<String> databaseUrl;
  private Optional<String> masterKey;
  private boolean allowPrivateTargets;
  private List<Cidr> allowTargets;
  private Duration secretRotationGrace;
  private int maxEventBytes;
  private double rateLimitPerSecond;
  private int rateLimitBurst;

  private ConfigBuilder(Config c) {
    this.c = c;
    this.dataDir = c.dataDir();
    this.databaseUrl = c.databaseUrl();
    this.masterKey = c.masterKey();
    this.allowPrivateTargets = c.allowPrivateTargets();
    this.allowTargets = c.allowTargets();
    this.secretRotationGrace = c.secretRotationGrace();
    this.maxEventBytes = c.maxEventBytes();
    this.rateLimitPerSecond = c.rateLimitPerSecond();
    this.rateLimitBurst = c.rateLimitBurst();
  }

  public static ConfigBuilder from(Config config) {
    return new ConfigBuilder(config);
  }

  /** The production default: https:// to globally reachable addresses only. */
  public ConfigBuilder strict() {
    this.allowPrivateTargets = false;
    this.allowTargets = List.of();
    return this;
  }

  public ConfigBuilder allowPrivateTargets(boolean allow) {
    this.allowPrivateTargets = allow;
    return this;
  }

  /** Strict, but for these CIDR ranges, as {@code --allow-targets} takes them. */
  public ConfigBuilder allowTargets(String... ranges) {
    this.allowPrivateTargets = false;
    this.allowTargets = Arrays.stream(ranges).map(Cidr::parse).toList();
    return this;
  }

  /** Another server's storage: its data directory and, for PostgreSQL, its database. */
  public ConfigBuilder storage(Path dataDir, Optional<String> databaseUrl) {
    this.dataDir = dataDir;
    this.databaseUrl = databaseUrl;
    return this;
  }

  public ConfigBuilder masterKey(String base64Key) {
    this.masterKey = Optional.of(base64Key);
    return this;
  }

  public ConfigBuilder secretRotationGrace(Duration grace) {
    this.secretRotationGrace = grace;
    return this;
  }

  public ConfigBuilder maxEventBytes(int bytes) {
    this.maxEventBytes = bytes;
    return this;
  }

  public ConfigBuilder rateLimit(double perSecond, int burst) {
    this.rateLimitPerSecond = perSecond;
    this.rateLimitBurst = burst;
    return this;
  }

  public Config build() {
    return new Config(
        c.host(),
        c.port(),
        dataDir,
        databaseUrl,
        c.databasePoolSize(),
        masterKey,
        allowPrivateTargets,
        allowTargets,
        c.retrySchedule(),
        c.deliveryTimeout(),
        c.concurrencyPerWebhook(),
        secretRotationGrace,
        c.idempotencyWindow(),
        maxEventBytes,
        rateLimitPerSecond,
        rateLimitBurst);
  }
}
