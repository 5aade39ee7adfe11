package io.hookwire.core;

import java.util.Optional;

/**
 * The fields an update gives; empty ones stay as they are.
 *
 * @param retrySchedule present with an empty inner value: back to the server-wide schedule
 */
public record WebhookChanges(
    Optional<String> name,
    Optional<String> description,
    Optional<EventType> event,
    Optional<String> url,
    Optional<Boolean> enabled,
    Optional<Optional<RetrySchedule>> retrySchedule,
    Optional<Integer> batchSize) {

  public boolean isEmpty() {
    return name.isEmpty()
        && description.isEmpty()
        && event.isEmpty()
        && url.isEmpty()
        && enabled.isEmpty()
        && retrySchedule.isEmpty()
        && batchSize.isEmpty();
  }
}
