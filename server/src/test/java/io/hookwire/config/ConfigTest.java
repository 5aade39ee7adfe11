package io.hookwire.config;

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
}
