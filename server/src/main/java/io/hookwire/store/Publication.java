package io.hookwire.store;

import io.hookwire.core.NewEvent;
import java.util.List;

/** What one publish request asked to store: the events of one account, in order. */
public record Publication(String accountId, List<NewEvent> events) {
  public Publication {
    events = List.copyOf(events);
  }
}
