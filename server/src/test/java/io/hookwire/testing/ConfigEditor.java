package io.hookwire.testing;

import io.hookwire.config.Config;
import io.hookwire.core.RetrySchedule;
import io.hookwire.security.Cidr;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Changes a few settings of a {@link Config}, keeping the rest: {@code TestServer.start(kind, c ->
 * ConfigEditor.of(c).deliveryTimeout(Duration.ofMillis(500)).build(), b -> b)}.
 */
public final class ConfigEditor {
  private final Map<String, Object> values = new LinkedHashMap<>();

  private ConfigEditor(Config config) {
    for (RecordComponent c : Config.class.getRecordComponents()) {
      try {
        values.put(c.getName(), c.getAccessor().invoke(config));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static ConfigEditor of(Config config) {
    return new ConfigEditor(config);
  }

  public ConfigEditor deliveryTimeout(Duration timeout) {
    return set("deliveryTimeout", timeout);
  }

  public ConfigEditor retrySchedule(String schedule) {
    return set("retrySchedule", RetrySchedule.parse(schedule));
  }

  public ConfigEditor concurrencyPerWebhook(int concurrency) {
    return set("concurrencyPerWebhook", concurrency);
  }

  public ConfigEditor deliveryLease(Duration lease) {
    return set("deliveryLease", lease);
  }

  /** The production default: https:// to globally reachable addresses only. */
  public ConfigEditor strict() {
    return set("allowPrivateTargets", false).set("allowTargets", List.of());
  }

  public ConfigEditor allowPrivateTargets(boolean allow) {
    return set("allowPrivateTargets", allow);
  }

  /** Strict, but for these CIDR ranges, as {@code --allow-targets} takes them. */
  public ConfigEditor allowTargets(String... ranges) {
    return strict().set("allowTargets", Arrays.stream(ranges).map(Cidr::parse).toList());
  }

  /** Another server's storage: its data directory and, for PostgreSQL, its database. */
  public ConfigEditor storage(Path dataDir, Optional<String> databaseUrl) {
    return set("dataDir", dataDir).set("databaseUrl", databaseUrl);
  }

  public ConfigEditor databasePoolSize(int size) {
    return set("databasePoolSize", size);
  }

  public ConfigEditor masterKey(String base64Key) {
    return set("masterKey", Optional.of(base64Key));
  }

  public ConfigEditor secretRotationGrace(Duration grace) {
    return set("secretRotationGrace", grace);
  }

  public ConfigEditor maxEventBytes(int bytes) {
    return set("maxEventBytes", bytes);
  }

  /** The limit on every route but publishing: managing webhooks, the log, {@code /v2/me}. */
  public ConfigEditor rateLimit(double perSecond, int burst) {
    return set("rateLimitPerSecond", perSecond).set("rateLimitBurst", burst);
  }

  /** The limit on {@code POST /v2/event} and {@code POST /v2/events}. */
  public ConfigEditor publishRateLimit(double perSecond, int burst) {
    return set("publishRateLimitPerSecond", perSecond).set("publishRateLimitBurst", burst);
  }

  public ConfigEditor concurrencyPerDestination(int concurrency) {
    return set("concurrencyPerDestination", concurrency);
  }

  private ConfigEditor set(String name, Object value) {
    if (!values.containsKey(name)) {
      throw new IllegalArgumentException("Config has no " + name);
    }
    values.put(name, value);
    return this;
  }

  public Config build() {
    Class<?>[] types =
        Arrays.stream(Config.class.getRecordComponents())
            .map(RecordComponent::getType)
            .toArray(Class<?>[]::new);
    try {
      Constructor<Config> canonical = Config.class.getDeclaredConstructor(types);
      return canonical.newInstance(values.values().toArray());
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
