package io.hookwire.core;

import java.time.Instant;
import java.util.Optional;

/**
 * A webhook as the rest of the service sees it. The secret stays encrypted here; only signing and
 * the create/rotate responses ever hold it in clear.
 *
 * @param retrySchedule empty means the server-wide schedule
 */
public record Webhook(
    String accountId,
    String id,
    String name,
    String description,
    EventType event,
    String url,
    boolean enabled,
    Optional<RetrySchedule> retrySchedule,
    int batchSize,
    Optional<Instant> lastExecution,
    Instant created,
    Instant modified) {

  /** Envelopes in one request at most: keeps a batched body within a few MB. */
  public static final int MAX_BATCH_SIZE = 100;
}
