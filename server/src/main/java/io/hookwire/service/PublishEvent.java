package io.hookwire.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One event to publish.
 *
 * @param event its type, such as {@code newLead}
 * @param data a JSON object, or a string holding one (as a form body carries it); absent is {@code
 *     {}}
 * @param idempotencyKey publishing again with the same key within the idempotency window returns
 *     the first event instead of storing a second
 */
public record PublishEvent(Input event, Optional<JsonNode> data, Input idempotencyKey) {}
