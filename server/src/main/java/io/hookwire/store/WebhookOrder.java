package io.hookwire.store;

import java.util.Arrays;
import java.util.Optional;

/** The {@code _order} values of the API reference and the column each sorts by. */
public enum WebhookOrder {
  // Text sorts case-insensitively, as people read a list of names, and alike in both stores:
  // otherwise SQLite compares bytes ("Zulu" before "alpha") and PostgreSQL follows the database's
  // collation.
  name("LOWER(name)"),
  description("LOWER(description)"),
  lastExecutionDate("last_execution"),
  isEnabled("is_enabled"),
  created("created"),
  modified("modified");

  /** The SQL expression to sort by. */
  final String sortKey;

  WebhookOrder(String sortKey) {
    this.sortKey = sortKey;
  }

  public static Optional<WebhookOrder> parse(String value) {
    return Arrays.stream(values()).filter(o -> o.name().equals(value)).findFirst();
  }
}
