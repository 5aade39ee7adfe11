package io.hookwire.core;

import java.time.Instant;

/** One request for one payload, with what is needed to show the envelope that was sent. */
public record LogEntry(
    String id,
    String payloadId,
    String webhookId,
    int attempt,
    Instant created,
    int responseCode,
    long executionMicros,
    String error,
    String responseBody,
    EventType event,
    Instant eventCreated,
    String data) {}
