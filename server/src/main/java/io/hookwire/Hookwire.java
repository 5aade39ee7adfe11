package io.hookwire;

import io.hookwire.api.Api;
import io.hookwire.api.RateLimiter;
import io.hookwire.config.Config;
import io.hookwire.core.Json;
import io.hookwire.delivery.Dispatcher;
import io.hookwire.delivery.Heartbeat;
import io.hookwire.delivery.Intake;
import io.hookwire.delivery.OkHttpSender;
import io.hookwire.security.SecretBox;
import io.hookwire.security.TargetPolicy;
import io.hookwire.service.AdminSessions;
import io.hookwire.service.Auth;
import io.hookwire.service.Events;
import io.hookwire.service.Webhooks;
import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import io.hookwire.ui.AdminUi;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Hookwire server: store, delivery pipeline and HTTP server, started and stopped together. */
public final class Hookwire implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Hookwire.class);

  public static final String VERSION = "0.1.0";
  public static final String USER_AGENT = "Hookwire/" + VERSION;

  /** Largest request body: a batch of events. Single events are bounded by maxEventBytes. */
  public static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;

  /**
   * Publish transactions at once on PostgreSQL: 4 keeps the two cores of the reference machine busy
   * while each group waits for its commit, and leaves most of the default pool of 16 to the API,
   * the claim and the recorder.
   */
  private static final int POSTGRES_WRITERS = 4;

  private final Store store;
  private final Dispatcher dispatcher;
  private final Heartbeat heartbeat;
  private final Intake intake;
  private final OkHttpSender sender;
  private final Javalin javalin;
  private final Webhooks webhooks;
  private final JvmGcMetrics gcMetrics;

  private Hookwire(Builder b) {
    Config config = b.config;
    TargetPolicy policy =
        config.allowPrivateTargets()
            ? TargetPolicy.permissive()
            : TargetPolicy.allowing(config.allowTargets());
    SecretBox secrets =
        SecretBox.load(config.masterKey().orElse(null), config.dataDir().resolve("master.key"));
    this.store = Stores.open(config.databaseUrl(), config.dataDir(), config.databasePoolSize());
    this.sender =
        new OkHttpSender(
            policy,
            config.deliveryTimeout(),
            config.concurrencyPerDestination(),
            USER_AGENT,
            b.resolver,
            b.httpClient);
    Dispatcher.Settings settings =
        new Dispatcher.Settings(
            config.retrySchedule(),
            config.concurrencyPerWebhook(),
            Dispatcher.MAX_IN_FLIGHT,
            b.maxUnrecorded,
            Dispatcher.CLAIM_LIMIT,
            config.deliveryLease(),
            config.deliveryTimeout(),
            b.pollInterval);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    this.gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    // Joined before the dispatcher leases anything, so every lease names this node.
    this.heartbeat = new Heartbeat(store, b.clock);
    this.dispatcher = new Dispatcher(store, sender, secrets, b.clock, settings, metrics);
    heartbeat.start(dispatcher::wake);
    this.webhooks =
        new Webhooks(
            store,
            secrets,
            policy,
            b.clock,
            config.secretRotationGrace(),
            config.minRetryDelay(),
            dispatcher::wake);
    this.intake =
        new Intake(
            store,
            dispatcher,
            b.clock,
            config.idempotencyWindow(),
            // SQLite has one writer at a time; PostgreSQL commits a few groups side by side.
            config.databaseUrl().isPresent() ? POSTGRES_WRITERS : 1,
            metrics);
    Events events = new Events(intake, config.maxEventBytes());
    Auth auth = new Auth(store, config.failedAuthLimit());
    AdminSessions sessions = new AdminSessions(store, auth, secrets, b.clock);
    Api api =
        new Api(
            auth,
            webhooks,
            events,
            new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), b.clock),
            new RateLimiter(
                config.publishRateLimitPerSecond(), config.publishRateLimitBurst(), b.clock),
            // Both mean "not now": the client retries, nothing was stored.
            e -> store.isBusy(e) || e instanceof Intake.BusyException,
            config.maxEventBytes(),
            metrics);
    this.javalin =
        Javalin.create(
            cfg -> {
              cfg.concurrency.useVirtualThreads = true;
              cfg.startup.showJavalinBanner = false;
              cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
              cfg.http.prefer405over404 = true;
              cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
              cfg.jetty.host = config.host();
              cfg.jetty.port = config.port();
              cfg.routes.get("/health", ctx -> ctx.json(Map.of("Result", true, "Status", "ok")));
              cfg.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(metrics.scrape()));
              api.register(cfg);
              new AdminUi(
                      auth, sessions, webhooks, secrets.derive("hookwire/ui/sign-in-form"), b.clock)
                  .register(cfg);
            });
    javalin.start();
    log.info(
        "Hookwire {} listening on {}:{}, store {}, targets: {}",
        VERSION,
        config.host(),
        javalin.port(),
        config.databaseUrl().isPresent() ? "PostgreSQL" : "SQLite in " + config.dataDir(),
        policy.describe());
  }

  public static Builder builder(Config config) {
    return new Builder(config);
  }

  public int port() {
    return javalin.port();
  }

  public Store store() {
    return store;
  }

  @Override
  public void close() {
    javalin.stop();
    gcMetrics.close();
    intake.close();
    dispatcher.close();
    heartbeat.close();
    sender.close();
    store.close();
  }

  /** How a server is put together; tests swap the clock, the resolver and TLS trust. */
  public static final class Builder {
    private final Config config;
    private Clock clock = Clock.systemUTC();
    private Dns resolver = Dns.SYSTEM;
    private OkHttpClient.Builder httpClient = new OkHttpClient.Builder();
    private java.time.Duration pollInterval = java.time.Duration.ofMillis(100);
    private int maxUnrecorded = Dispatcher.MAX_UNRECORDED;

    private Builder(Config config) {
      this.config = config;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder resolver(Dns resolver) {
      this.resolver = resolver;
      return this;
    }

    public Builder httpClient(OkHttpClient.Builder httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    /** Attempts made and not yet recorded at most (tests make it small to reach it). */
    public Builder maxUnrecorded(int maxUnrecorded) {
      this.maxUnrecorded = maxUnrecorded;
      return this;
    }

    public Builder pollInterval(java.time.Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    public Hookwire start() {
      return new Hookwire(this);
    }
  }
}
