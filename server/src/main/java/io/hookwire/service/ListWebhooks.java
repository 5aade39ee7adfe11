package io.hookwire.service;

/**
 * The webhooks of an account, filtered and ordered.
 *
 * @param event only those subscribed to this event type
 * @param name only those whose name contains this text
 * @param order {@code name} (the default), {@code description}, {@code lastExecutionDate}, {@code
 *     isEnabled}, {@code created} or {@code modified}
 */
public record ListWebhooks(Input event, Input name, Input order, PageRequest paging) {}
