package io.hookwire.config;

import io.hookwire.core.RetrySchedule;
import io.hookwire.security.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a server is started with. Each field is an option of {@code hookwire serve} and a
 * {@code HOOKWIRE_*} environment variable; docs/configuration.md lists them with units and
 * defaults.
 */
public record Config(
    String host,
    int port,
    Path dataDir,
    Optional<String> databaseUrl,
    int databasePoolSize,
    Optional<String> masterKey,
    boolean allowPrivateTargets,
    List<Cidr> allowTargets,
    RetrySchedule retrySchedule,
    Duration deliveryTimeout,
    int concurrencyPerWebhook,
    Duration secretRotationGrace,
    Duration idempotencyWindow,
    int maxEventBytes,
    double rateLimitPerSecond,
    int rateLimitBurst,
    Duration deliveryLease) {

  /** 5 s: the API reference's "Return a 2xx status code within 5 seconds". */
  public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(5);

  /** 256 KB of event data: far above any event of the reference, far below a memory risk. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 256 * 1024;

  public Config {
    allowTargets = List.copyOf(allowTargets);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 to 65535");
    }
    if (databasePoolSize < 2) {
      // Migrations hold one connection while Flyway's lock takes another.
      throw new IllegalArgumentException("--database-pool-size must be at least 2");
    }
    if (deliveryTimeout.isNegative() || deliveryTimeout.isZero()) {
      throw new IllegalArgumentException("the delivery timeout must be positive");
    }
    if (concurrencyPerWebhook < 1) {
      throw new IllegalArgumentException("concurrency per webhook must be at least 1");
    }
    if (deliveryLease.compareTo(deliveryTimeout) <= 0) {
      // A shorter lease would hand a payload to another attempt while its first is on the wire.
      throw new IllegalArgumentException("the delivery lease must be longer than the timeout");
    }
  }

  /**
   * How long a node owns the payloads it claimed: comfortably longer than a claimed batch waits for
   * its turn and then times out. A node that dies keeps its payloads this long; then any node sends
   * them again.
   */
  public static Duration defaultLease(Duration deliveryTimeout) {
    return Duration.ofSeconds(60).plus(deliveryTimeout.multipliedBy(4));
  }

  /** The defaults of {@code hookwire serve}, with the data directory given. */
  public static Config defaults(Path dataDir) {
    return new Config(
        "0.0.0.0",
        8080,
        dataDir,
        Optional.empty(),
        16,
        Optional.empty(),
        false,
        List.of(),
        RetrySchedule.REFERENCE,
        DEFAULT_DELIVERY_TIMEOUT,
        16,
        Duration.ofHours(24),
        Duration.ofHours(24),
        DEFAULT_MAX_EVENT_BYTES,
        200,
        1_000,
        defaultLease(DEFAULT_DELIVERY_TIMEOUT));
  }
}
