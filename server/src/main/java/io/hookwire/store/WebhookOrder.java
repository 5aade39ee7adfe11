package io.hookwire.store;

import java.util.Arrays;
import java.util.Optional;

/** The {@code _order} values of the API reference and the column each sorts by. */
public enum WebhookOrder {
  // Text sorts ignoring case, as Oktopost's lists do ("alpha" before "Bravo"); binary order in
  // both databases would put every capital first.
  name("LOWER(name)"),
  description("LOWER(description)"),
  lastExecutionDate("last_execution"),
  isEnabled("is_enabled"),
  created("created"),
  modified("modified");

  final String column;

  WebhookOrder(String column) {
    this.column = column;
  }

  public static Optional<WebhookOrder> parse(String value) {
    return Arrays.stream(values()).filter(o -> o.name().equals(value)).findFirst();
  }
}
