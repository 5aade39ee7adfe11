package io.hookwire.cli;

import io.hookwire.Hookwire;
import io.hookwire.config.Config;
import io.hookwire.core.RetrySchedule;
import io.hookwire.security.Cidr;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    defaultValueProvider = Defaults.class,
    description = "Run the Hookwire server.")
final class ServeCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Option(
      names = "--host",
      description = "Address to listen on (env HOOKWIRE_HOST, default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      description =
          "Port to listen on; 0 picks a free one (env HOOKWIRE_PORT, default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--allow-private-targets",
      description =
          "Allow http:// and internal addresses (loopback, private ranges) as targets. For"
              + " development only (env HOOKWIRE_ALLOW_PRIVATE_TARGETS).")
  boolean allowPrivateTargets;

  @Option(
      names = "--allow-targets",
      description =
          "Comma-separated CIDR ranges that deliveries may reach although internal, e.g."
              + " 10.1.0.0/16 (env HOOKWIRE_ALLOW_TARGETS).")
  String allowTargets;

  @Option(
      names = "--retry-schedule",
      description =
          "Delays before each retry, units ms/s/m/h/d (env HOOKWIRE_RETRY_SCHEDULE, default:"
              + " ${DEFAULT-VALUE}).")
  String retrySchedule;

  @Option(
      names = "--delivery-timeout",
      description =
          "Time a receiver has to answer 2xx (env HOOKWIRE_DELIVERY_TIMEOUT, default: ${DEFAULT-VALUE}).")
  String deliveryTimeout;

  @Option(
      names = "--lease",
      description =
          "How long a node owns the payloads it claimed; those of a node that died are sent again"
              + " when it ends. Longer than the delivery timeout (env HOOKWIRE_LEASE, default: 60s"
              + " plus four delivery timeouts).")
  String lease;

  @Option(
      names = "--concurrency-per-webhook",
      description =
          "Requests on the wire to one webhook at once, per node (env"
              + " HOOKWIRE_CONCURRENCY_PER_WEBHOOK, default: ${DEFAULT-VALUE}).")
  int concurrencyPerWebhook;

  @Option(
      names = "--concurrency-per-destination",
      description =
          "Requests on the wire to one host and port at once, per node, whatever the webhooks"
              + " (env HOOKWIRE_CONCURRENCY_PER_DESTINATION, default: ${DEFAULT-VALUE}).")
  int concurrencyPerDestination;

  @Option(
      names = "--secret-rotation-grace",
      description =
          "How long the old secret keeps signing after a rotation (env"
              + " HOOKWIRE_SECRET_ROTATION_GRACE, default: ${DEFAULT-VALUE}).")
  String secretRotationGrace;

  @Option(
      names = "--idempotency-window",
      description =
          "How long a publish's Idempotency-Key is remembered: the same key within it returns the"
              + " first event (env HOOKWIRE_IDEMPOTENCY_WINDOW, default: ${DEFAULT-VALUE}).")
  String idempotencyWindow;

  @Option(
      names = "--max-event-bytes",
      description =
          "Largest event data accepted, in bytes (env HOOKWIRE_MAX_EVENT_BYTES, default: ${DEFAULT-VALUE}).")
  int maxEventBytes;

  @Option(
      names = "--rate-limit",
      description =
          "Requests per second per account on each node to every route but publishing (managing"
              + " webhooks, the log, /v2/me); 0 turns the limit off (env HOOKWIRE_RATE_LIMIT,"
              + " default: ${DEFAULT-VALUE}).")
  double rateLimit;

  @Option(
      names = "--rate-limit-burst",
      description =
          "Requests an account may make at once above --rate-limit (env"
              + " HOOKWIRE_RATE_LIMIT_BURST, default: ${DEFAULT-VALUE}).")
  int rateLimitBurst;

  @Option(
      names = "--publish-rate-limit",
      description =
          "Publishing requests (POST /v2/event, POST /v2/events; a batch counts once) per second"
              + " per account on each node; 0 turns the limit off (env"
              + " HOOKWIRE_PUBLISH_RATE_LIMIT, default: ${DEFAULT-VALUE}).")
  double publishRateLimit;

  @Option(
      names = "--publish-rate-limit-burst",
      description =
          "Publishing requests an account may make at once above --publish-rate-limit (env"
              + " HOOKWIRE_PUBLISH_RATE_LIMIT_BURST, default: ${DEFAULT-VALUE}).")
  int publishRateLimitBurst;

  @Option(
      names = "--failed-auth-limit",
      description =
          "Failed authentications (API keys, sign-ins) a client address may have at once, then"
              + " as many a minute; an account five times as many; beyond them the client is"
              + " answered 429 unchecked; 0 turns it off (env HOOKWIRE_FAILED_AUTH_LIMIT, default:"
              + " ${DEFAULT-VALUE}).")
  int failedAuthLimit;

  @Option(
      names = "--min-retry-delay",
      description =
          "Shortest delay a webhook's own retrySchedule may have (env"
              + " HOOKWIRE_MIN_RETRY_DELAY, default: ${DEFAULT-VALUE}).")
  String minRetryDelay;

  Config config() {
    Config.Builder config =
        Config.builder(store.dataDir)
            .host(host)
            .port(port)
            .databaseUrl(store.databaseUrl())
            .databasePoolSize(store.databasePoolSize)
            .masterKey(Optional.ofNullable(System.getenv("HOOKWIRE_MASTER_KEY")))
            .allowPrivateTargets(allowPrivateTargets)
            .allowTargets(
                allowTargets.isBlank()
                    ? List.of()
                    : Arrays.stream(allowTargets.split(",")).map(Cidr::parse).toList())
            .retrySchedule(RetrySchedule.parse(retrySchedule))
            .deliveryTimeout(duration("--delivery-timeout", deliveryTimeout))
            .concurrencyPerWebhook(concurrencyPerWebhook)
            .concurrencyPerDestination(concurrencyPerDestination)
            .secretRotationGrace(duration("--secret-rotation-grace", secretRotationGrace))
            .idempotencyWindow(duration("--idempotency-window", idempotencyWindow))
            .maxEventBytes(maxEventBytes)
            .rateLimit(rateLimit, rateLimitBurst)
            .publishRateLimit(publishRateLimit, publishRateLimitBurst)
            .failedAuthLimit(failedAuthLimit)
            .minRetryDelay(duration("--min-retry-delay", minRetryDelay));
    if (lease != null && !lease.isBlank()) {
      config.deliveryLease(duration("--lease", lease));
    }
    return config.build();
  }

  /** A single duration in the units of the retry schedule: {@code 5s}, {@code 24h}. */
  static Duration duration(String option, String text) {
    try {
      List<Duration> parts = RetrySchedule.parse(text).delays();
      if (parts.size() == 1) {
        return parts.get(0);
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw new IllegalArgumentException(option + " must be a duration such as 5s, 10m or 24h");
  }

  @Override
  public Integer call() throws InterruptedException {
    Hookwire server = Hookwire.builder(config()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
