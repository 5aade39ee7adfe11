package io.hookwire.core;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored event.
 *
 * @param payloads how many webhooks it was fanned out to
 * @param duplicate whether an earlier event with the same idempotency key was returned instead
 */
public record PublishedEvent(
    String id,
    EventType event,
    Optional<String> idempotencyKey,
    Instant created,
    int payloads,
    boolean duplicate) {}
