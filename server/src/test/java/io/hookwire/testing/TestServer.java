package io.hookwire.testing;

import io.hookwire.Hookwire;
import io.hookwire.config.Config;
import io.hookwire.core.Account;
import io.hookwire.core.RetrySchedule;
import io.hookwire.security.ApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * A Hookwire server on 127.0.0.1 and a free port, on a fresh store of the given kind, with one
 * account ready. Delivery targets are unrestricted by default (the receivers are on loopback) and
 * retries are milliseconds apart, so tests wait for behaviour, not for the clock.
 */
public final class TestServer implements AutoCloseable {
  public final Hookwire server;
  public final Path dataDir;
  public final Config config;
  public final String accountId;
  public final String apiKey;

  private TestServer(Hookwire.Builder builder, Config config, Path dataDir) {
    this.server = builder.start();
    this.config = config;
    this.dataDir = dataDir;
    this.apiKey = ApiKeys.generate();
    Account account =
        server.store().createAccount("Test account", ApiKeys.hash(apiKey), Instant.now());
    this.accountId = account.id();
  }

  public static TestServer start(StoreKind kind) {
    return start(kind, c -> c, b -> b);
  }

  /**
   * @param configure changes to the test defaults
   * @param build changes to how the server is put together (clock, resolver, TLS)
   */
  public static TestServer start(
      StoreKind kind, UnaryOperator<Config> configure, UnaryOperator<Hookwire.Builder> build) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("hookwire-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Config config =
        configure.apply(
            Config.builder(dataDir)
                .host("127.0.0.1")
                .port(0)
                .databaseUrl(kind.freshDatabaseUrl())
                .databasePoolSize(4)
                .allowPrivateTargets(true)
                .retrySchedule(RetrySchedule.parse("50ms,100ms,150ms"))
                .deliveryTimeout(Duration.ofSeconds(2))
                // Rate limits off: tests that need one set it.
                .rateLimit(0, Config.DEFAULT_RATE_LIMIT_BURST)
                .publishRateLimit(0, Config.DEFAULT_PUBLISH_RATE_LIMIT_BURST)
                .build());
    Hookwire.Builder builder =
        build.apply(Hookwire.builder(config).pollInterval(Duration.ofMillis(20)));
    return new TestServer(builder, config, dataDir);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The API as this server's account. */
  public ApiClient api() {
    return new ApiClient(baseUrl(), accountId, apiKey);
  }

  /** Another account on the same server, for isolation tests. */
  public ApiClient newAccount(String name) {
    String key = ApiKeys.generate();
    Account account = server.store().createAccount(name, ApiKeys.hash(key), Instant.now());
    return new ApiClient(baseUrl(), account.id(), key);
  }

  @Override
  public void close() {
    server.close();
  }
}
