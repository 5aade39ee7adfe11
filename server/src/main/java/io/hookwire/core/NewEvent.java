package io.hookwire.core;

import java.util.Optional;

/**
 * An event as a producer publishes it.
 *
 * @param data canonical JSON of an object (see {@link io.hookwire.core.CanonicalJson})
 */
public record NewEvent(EventType event, String data, Optional<String> idempotencyKey) {}
