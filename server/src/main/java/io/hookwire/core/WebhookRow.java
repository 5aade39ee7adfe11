package io.hookwire.core;

import java.time.Instant;
import java.util.Optional;

/** A webhook with its sealed secrets, as stored. */
public record WebhookRow(
    Webhook webhook,
    String secretSealed,
    Optional<String> previousSecretSealed,
    Optional<Instant> previousSecretUntil) {}
