package io.hookwire.core;

import java.util.Arrays;
import java.util.Optional;

/** The {@code _order} values of the API reference: what a list of webhooks is sorted by. */
public enum WebhookOrder {
  name,
  description,
  lastExecutionDate,
  isEnabled,
  created,
  modified;

  public static Optional<WebhookOrder> parse(String value) {
    return Arrays.stream(values()).filter(o -> o.name().equals(value)).findFirst();
  }
}
