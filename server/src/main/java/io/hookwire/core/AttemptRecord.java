package io.hookwire.core;

import java.time.Instant;

/**
 * What one attempt to deliver one payload came to, as the store keeps it.
 *
 * @param nextState delivered, pending (retry at {@code dueAt}) or failed
 * @param responseCode 0 when no response came
 */
public record AttemptRecord(
    String accountId,
    String payloadId,
    String webhookId,
    String logId,
    int attempt,
    Instant created,
    int responseCode,
    long executionMicros,
    String error,
    String responseBody,
    PayloadState nextState,
    Instant dueAt) {}
