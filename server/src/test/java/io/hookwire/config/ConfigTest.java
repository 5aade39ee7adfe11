package io.hookwire.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwire.testing.ConfigEditor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigTest {
  // A pool of one connection would hang start-up on the migration lock for half a minute; the
  // server refuses it at once with a message naming the option instead.
  @Test
  void aDatabasePoolOfFewerThanTwoConnectionsIsRefused() {
    assertThatThrownBy(
            () -> ConfigEditor.of(Config.defaults(Path.of("data"))).databasePoolSize(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--database-pool-size");
  }

  @Test
  void eachRateLimitIsOffAtZeroAndRefusedBelowIt() {
    Config defaults = Config.defaults(Path.of("data"));
    assertThat(ConfigEditor.of(defaults).rateLimit(0, 0).publishRateLimit(0, 0).build())
        .as("0 turns a limit off; its burst does not matter then")
        .isNotNull();
    assertThatThrownBy(() -> ConfigEditor.of(defaults).publishRateLimit(-1, 10).build())
        .hasMessageContaining("--publish-rate-limit");
    assertThatThrownBy(() -> ConfigEditor.of(defaults).rateLimit(5, 0).build())
        .hasMessageContaining("--rate-limit-burst");
    assertThatThrownBy(() -> ConfigEditor.of(defaults).publishRateLimit(5, 0).build())
        .hasMessageContaining("--publish-rate-limit-burst");
  }

  @Test
  void aDestinationNeedsAtLeastOnePlace() {
    assertThatThrownBy(
            () ->
                ConfigEditor.of(Config.defaults(Path.of("data")))
                    .concurrencyPerDestination(0)
                    .build())
        .hasMessageContaining("--concurrency-per-destination");
  }
}
