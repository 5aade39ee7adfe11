package io.hookwire.core;

import java.time.Instant;
import java.util.Optional;

/**
 * A leased payload with everything needed to send it.
 *
 * @param attempt the number of this attempt, from 1
 * @param data canonical JSON of the event's data
 * @param retrySchedule the webhook's own schedule, or empty for the server's
 * @param leaseUntil when this node's lease on the payload ends: an attempt that cannot finish
 *     before then must not start, as the payload may be claimed again from then on
 */
public record Claim(
    String accountId,
    String payloadId,
    String webhookId,
    int attempt,
    EventType event,
    Instant eventCreated,
    String data,
    String url,
    String secretSealed,
    Optional<String> previousSecretSealed,
    Optional<Instant> previousSecretUntil,
    Optional<String> retrySchedule,
    int batchSize,
    Instant leaseUntil) {}
