package io.hookwire.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A signed-in browser of the admin pages, as the store keeps it: named by the SHA-256 of its
 * cookie's token, never the token, and with its one-time Secret sealed.
 */
public record StoredSession(
    String idHash,
    String accountId,
    String apiKeyHash,
    String csrfToken,
    Instant started,
    Instant lastSeen,
    Optional<Notice> notice,
    Optional<SealedSecret> secret) {

  /** A message for the next page. */
  public record Notice(boolean error, String text) {}

  /** A webhook's Secret waiting to be shown once, sealed. */
  public record SealedSecret(String webhookId, String sealed, boolean rotated) {}
}
