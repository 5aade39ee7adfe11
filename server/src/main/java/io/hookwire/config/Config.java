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
    int concurrencyPerDestination,
    Duration secretRotationGrace,
    Duration idempotencyWindow,
    int maxEventBytes,
    double rateLimitPerSecond,
    int rateLimitBurst,
    double publishRateLimitPerSecond,
    int publishRateLimitBurst,
    Duration deliveryLease) {

  /** 5 s: the API reference's "Return a 2xx status code within 5 seconds". */
  public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(5);

  /** 256 KB of event data: far above any event of the reference, far below a memory risk. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 256 * 1024;

  /**
   * 64 requests on the wire to one host and port. The benchmark machine's sender reaches its limit
   * (28,000–31,000 requests/s to a local sink, docs/performance.md) with 16 on the wire; four times
   * that keeps a receiver four times slower at the same rate, and one answering in 20 ms still gets
   * 3,200 requests/s. 100 webhooks on one host then hold 64 connections, not the 1,600 whose pool
   * scans were 61% of the send path in the fan-out profile.
   */
  public static final int DEFAULT_CONCURRENCY_PER_DESTINATION = 64;

  /**
   * Managing webhooks (every route but publishing): 200 requests/s, bursts of 1,000. Far above what
   * a person or a deployment script does, low enough that one account's runaway loop of list or log
   * queries cannot take the store from the others.
   */
  public static final double DEFAULT_RATE_LIMIT = 200;

  public static final int DEFAULT_RATE_LIMIT_BURST = 1_000;

  /**
   * Publishing ({@code POST /v2/event} and {@code /v2/events}, a batch counting once): 10,000
   * requests/s, bursts of 20,000 (two seconds' worth, for a producer catching up). Above what one
   * node accepts on the benchmark machine (several thousand single publishes/s; 30–50 batches of
   * 1,000 events/s), so the limit never caps a single producer below what the machine can do; an
   * operator sharing a node among accounts lowers it (docs/configuration.md says how).
   */
  public static final double DEFAULT_PUBLISH_RATE_LIMIT = 10_000;

  public static final int DEFAULT_PUBLISH_RATE_LIMIT_BURST = 20_000;

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
    if (concurrencyPerDestination < 1) {
      throw new IllegalArgumentException("--concurrency-per-destination must be at least 1");
    }
    requireRate("--rate-limit", rateLimitPerSecond, rateLimitBurst);
    requireRate("--publish-rate-limit", publishRateLimitPerSecond, publishRateLimitBurst);
    if (deliveryLease.compareTo(deliveryTimeout.multipliedBy(2)) <= 0) {
      // A request may wait one timeout for a place at its destination and take another: a shorter
      // lease would hand the payload to another attempt while the first is on the wire.
      throw new IllegalArgumentException(
          "the delivery lease must be longer than twice the delivery timeout");
    }
  }

  private static void requireRate(String option, double perSecond, int burst) {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException(option + " must be 0 (off) or a positive number");
    }
    if (perSecond > 0 && burst < 1) {
      // A bucket that holds less than one token would refuse every request.
      throw new IllegalArgumentException(option + "-burst must be at least 1");
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
        DEFAULT_CONCURRENCY_PER_DESTINATION,
        Duration.ofHours(24),
        Duration.ofHours(24),
        DEFAULT_MAX_EVENT_BYTES,
        DEFAULT_RATE_LIMIT,
        DEFAULT_RATE_LIMIT_BURST,
        DEFAULT_PUBLISH_RATE_LIMIT,
        DEFAULT_PUBLISH_RATE_LIMIT_BURST,
        defaultLease(DEFAULT_DELIVERY_TIMEOUT));
  }
}
