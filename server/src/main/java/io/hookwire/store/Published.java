package io.hookwire.store;

import io.hookwire.core.Claim;
import io.hookwire.core.PublishedEvent;
import java.util.List;

/**
 * What a group of publications stored.
 *
 * @param events the stored (or, for a repeated idempotency key, the earlier) events of each
 *     publication, in the group's order
 * @param leased the payloads leased to this node in the same transaction, oldest first: they go
 *     straight to its lanes and are never read back
 */
public record Published(List<List<PublishedEvent>> events, List<Claim> leased) {}
