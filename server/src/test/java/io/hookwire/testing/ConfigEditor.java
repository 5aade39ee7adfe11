package io.hookwire.testing;

import io.hookwire.config.Config;
import io.hookwire.core.RetrySchedule;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

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
