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
    Duration deliveryLease,
    int failedAuthLimit,
    Duration minRetryDelay) {

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
   * Failed authentications a client address may have at once, and again each minute; an account
   * five times as many (docs/operations.md). 0 turns the throttle off.
   */
  public static final int DEFAULT_FAILED_AUTH_LIMIT = 20;

  /**
   * The shortest delay a webhook's own retry schedule may have: a receiver that fails is not
   * retried in a tight loop. The server's schedule ({@code --retry-schedule}) is the operator's and
   * is not held to it.
   */
  public static final Duration DEFAULT_MIN_RETRY_DELAY = Duration.ofSeconds(1);

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
    if (failedAuthLimit < 0) {
      throw new IllegalArgumentException("--failed-auth-limit must be 0 (off) or more");
    }
    if (minRetryDelay.isNegative()) {
      throw new IllegalArgumentException("--min-retry-delay must not be negative");
    }
    if (concurrencyPerWebhook < 1) {
      throw new IllegalArgumentException("concurrency per webhook must be at least 1");
    }
    if (concurrencyPerDestination < 1) {
      throw new IllegalArgumentException("--concurrency-per-destination must be at least 1");
    }
    if (idempotencyWindow.isNegative() || idempotencyWindow.isZero()) {
      throw new IllegalArgumentException("--idempotency-window must be positive");
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
    return builder(dataDir).build();
  }

  /** Every setting at its default, the data directory given: the one place defaults are written. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** These settings, to change some of them. */
  public Builder toBuilder() {
    return builder(dataDir)
        .host(host)
        .port(port)
        .databaseUrl(databaseUrl)
        .databasePoolSize(databasePoolSize)
        .masterKey(masterKey)
        .allowPrivateTargets(allowPrivateTargets)
        .allowTargets(allowTargets)
        .retrySchedule(retrySchedule)
        .deliveryTimeout(deliveryTimeout)
        .concurrencyPerWebhook(concurrencyPerWebhook)
        .concurrencyPerDestination(concurrencyPerDestination)
        .secretRotationGrace(secretRotationGrace)
        .idempotencyWindow(idempotencyWindow)
        .maxEventBytes(maxEventBytes)
        .rateLimit(rateLimitPerSecond, rateLimitBurst)
        .publishRateLimit(publishRateLimitPerSecond, publishRateLimitBurst)
        .deliveryLease(deliveryLease)
        .failedAuthLimit(failedAuthLimit)
        .minRetryDelay(minRetryDelay);
  }

  /** Settings being put together; {@link #build} checks them. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 8080;
    private Path dataDir;
    private Optional<String> databaseUrl = Optional.empty();
    private int databasePoolSize = 16;
    private Optional<String> masterKey = Optional.empty();
    private boolean allowPrivateTargets = false;
    private List<Cidr> allowTargets = List.of();
    private RetrySchedule retrySchedule = RetrySchedule.REFERENCE;
    private Duration deliveryTimeout = DEFAULT_DELIVERY_TIMEOUT;
    private int concurrencyPerWebhook = 16;
    private int concurrencyPerDestination = DEFAULT_CONCURRENCY_PER_DESTINATION;
    private Duration secretRotationGrace = Duration.ofHours(24);
    private Duration idempotencyWindow = Duration.ofHours(24);
    private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
    private double rateLimitPerSecond = DEFAULT_RATE_LIMIT;
    private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
    private double publishRateLimitPerSecond = DEFAULT_PUBLISH_RATE_LIMIT;
    private int publishRateLimitBurst = DEFAULT_PUBLISH_RATE_LIMIT_BURST;
    private int failedAuthLimit = DEFAULT_FAILED_AUTH_LIMIT;
    private Duration minRetryDelay = DEFAULT_MIN_RETRY_DELAY;

    /** Unless set, {@link #defaultLease} of the delivery timeout, whatever that is set to. */
    private Optional<Duration> deliveryLease = Optional.empty();

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** PostgreSQL's JDBC URL; SQLite in the data directory when empty. */
    public Builder databaseUrl(Optional<String> databaseUrl) {
      this.databaseUrl = databaseUrl;
      return this;
    }

    public Builder databasePoolSize(int size) {
      this.databasePoolSize = size;
      return this;
    }

    /** Base64 of 32 bytes; a key file in the data directory when empty. */
    public Builder masterKey(Optional<String> masterKey) {
      this.masterKey = masterKey;
      return this;
    }

    public Builder allowPrivateTargets(boolean allow) {
      this.allowPrivateTargets = allow;
      return this;
    }

    public Builder allowTargets(List<Cidr> ranges) {
      this.allowTargets = List.copyOf(ranges);
      return this;
    }

    public Builder retrySchedule(RetrySchedule schedule) {
      this.retrySchedule = schedule;
      return this;
    }

    public Builder deliveryTimeout(Duration timeout) {
      this.deliveryTimeout = timeout;
      return this;
    }

    public Builder concurrencyPerWebhook(int concurrency) {
      this.concurrencyPerWebhook = concurrency;
      return this;
    }

    public Builder concurrencyPerDestination(int concurrency) {
      this.concurrencyPerDestination = concurrency;
      return this;
    }

    public Builder secretRotationGrace(Duration grace) {
      this.secretRotationGrace = grace;
      return this;
    }

    public Builder idempotencyWindow(Duration window) {
      this.idempotencyWindow = window;
      return this;
    }

    public Builder maxEventBytes(int bytes) {
      this.maxEventBytes = bytes;
      return this;
    }

    /** Every route but publishing: requests per second per account and node (0: off), burst. */
    public Builder rateLimit(double perSecond, int burst) {
      this.rateLimitPerSecond = perSecond;
      this.rateLimitBurst = burst;
      return this;
    }

    /** {@code POST /v2/event} and {@code /v2/events}, a batch counting once. */
    public Builder publishRateLimit(double perSecond, int burst) {
      this.publishRateLimitPerSecond = perSecond;
      this.publishRateLimitBurst = burst;
      return this;
    }

    public Builder deliveryLease(Duration lease) {
      this.deliveryLease = Optional.of(lease);
      return this;
    }

    /** Failed authentications per client address at once and per minute; 0: not throttled. */
    public Builder failedAuthLimit(int limit) {
      this.failedAuthLimit = limit;
      return this;
    }

    public Builder minRetryDelay(Duration delay) {
      this.minRetryDelay = delay;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public Config build() {
      return new Config(
          host,
          port,
          dataDir,
          databaseUrl,
          databasePoolSize,
          masterKey,
          allowPrivateTargets,
          allowTargets,
          retrySchedule,
          deliveryTimeout,
          concurrencyPerWebhook,
          concurrencyPerDestination,
          secretRotationGrace,
          idempotencyWindow,
          maxEventBytes,
          rateLimitPerSecond,
          rateLimitBurst,
          publishRateLimitPerSecond,
          publishRateLimitBurst,
          deliveryLease.orElseGet(() -> defaultLease(deliveryTimeout)),
          failedAuthLimit,
          minRetryDelay);
    }
  }
}
