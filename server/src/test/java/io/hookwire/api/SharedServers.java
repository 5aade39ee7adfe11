package io.hookwire.api;

import io.hookwire.config.Config;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestClock;
import io.hookwire.testing.TestServer;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server per store for a whole test class, started on first use and stopped after the class: a
 * server (and a PostgreSQL database) per test would dominate the run. Tests stay independent by
 * working in fresh accounts. All servers share one standing {@link TestClock}.
 */
final class SharedServers implements AfterAllCallback {
  final TestClock clock = TestClock.standing(Instant.parse("2017-05-23T14:07:18Z"));

  private final UnaryOperator<Config> configure;
  private final Map<StoreKind, TestServer> servers = new EnumMap<>(StoreKind.class);

  SharedServers() {
    this(c -> c);
  }

  /**
   * @param configure changes to {@link TestServer}'s defaults
   */
  SharedServers(UnaryOperator<Config> configure) {
    this.configure = configure;
  }

  synchronized TestServer on(StoreKind kind) {
    return servers.computeIfAbsent(
        kind, k -> TestServer.start(k, configure, builder -> builder.clock(clock)));
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    servers.values().forEach(TestServer::close);
    servers.clear();
  }
}
