package io.hookwire.core;

import java.util.Optional;

/**
 * A page of the webhook list.
 *
 * @param name a case-insensitive substring of the name
 */
public record WebhookQuery(
    Optional<EventType> event, Optional<String> name, WebhookOrder order, int page, int count) {}
