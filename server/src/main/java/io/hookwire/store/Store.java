package io.hookwire.store;

import io.hookwire.core.Account;
import io.hookwire.core.AttemptRecord;
import io.hookwire.core.Claim;
import io.hookwire.core.LogEntry;
import io.hookwire.core.NewEvent;
import io.hookwire.core.Page;
import io.hookwire.core.PayloadState;
import io.hookwire.core.PublishedEvent;
import io.hookwire.core.WebhookChanges;
import io.hookwire.core.WebhookQuery;
import io.hookwire.core.WebhookRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Everything Hookwire keeps. Two implementations, {@link SqliteStore} and {@link PostgresStore},
 * pass one contract suite. Every call names its account: no method reads across accounts except the
 * dispatcher's {@link #claim} and {@link #record}, and the admin sessions', which a cookie names.
 */
public interface Store extends AutoCloseable {

  // Accounts

  Account createAccount(String name, String apiKeyHash, Instant now);

  Optional<StoredAccount> findAccount(String accountId);

  boolean setApiKeyHash(String accountId, String apiKeyHash);

  // Webhooks

  void insertWebhook(WebhookRow webhook);

  Optional<WebhookRow> findWebhook(String accountId, String webhookId);

  Page<WebhookRow> listWebhooks(String accountId, WebhookQuery query);

  /**
   * Applies the changes given; disabling holds the webhook's waiting payloads and enabling releases
   * everything held, oldest first, in the same transaction.
   */
  Optional<WebhookRow> updateWebhook(
      String accountId, String webhookId, WebhookChanges changes, Instant now);

  /** Deletes the webhook with its payloads and log. */
  boolean deleteWebhook(String accountId, String webhookId);

  Optional<WebhookRow> rotateSecret(
      String accountId,
      String webhookId,
      String newSecretSealed,
      String previousSecretSealed,
      Instant previousUntil,
      Instant now);

  long countPayloads(String accountId, String webhookId, PayloadState state);

  // Events

  /**
   * Stores the events of each publication and fans each out to one payload per subscribed webhook,
   * all in one transaction (a group commit): when this returns, nothing of it can be lost. An
   * idempotency key already used within {@code idempotencyWindow} returns the first event instead
   * and stores nothing. Payloads of enabled webhooks that {@code leases} takes are stored leased to
   * this node and returned, so that they are sent without being claimed.
   */
  Published publish(
      List<Publication> group, Instant now, Duration idempotencyWindow, LiveLeases leases);

  /** Publishes one account's events with nothing leased at publish. */
  default List<PublishedEvent> publish(
      String accountId, List<NewEvent> events, Instant now, Duration idempotencyWindow) {
    return publish(
            List.of(new Publication(accountId, events)), now, idempotencyWindow, LiveLeases.NONE)
        .events()
        .get(0);
  }

  // Delivery

  /**
   * Leases up to {@code limit} due payloads until {@code leaseUntil}: at most {@code
   * requestsPerWebhook × batch size} of any one webhook, none of the {@code busyWebhooks}, oldest
   * first. Safe to call from any number of nodes at once.
   */
  List<Claim> claim(
      int limit,
      int requestsPerWebhook,
      Collection<String> busyWebhooks,
      Instant now,
      Instant leaseUntil);

  /**
   * Gives back leased payloads that were never sent (their node is shutting down, their lease was
   * about to end, their webhook changed): due again at once, oldest first, the attempt not counted;
   * held if their webhook is disabled. A payload leased again meanwhile is left alone.
   */
  void release(List<Claim> claims);

  /**
   * Records attempts' outcomes and log entries in one transaction. Retries it schedules are
   * announced to every node's {@link #listen} listener, this one's included.
   */
  void record(List<AttemptRecord> attempts);

  /** Re-queues failed payloads of a webhook, those created at or after {@code since} if given. */
  int resend(String accountId, String webhookId, Optional<Instant> since, Instant now);

  /** What a node hears of work and changes, its own and other nodes'. */
  interface Listener {
    /**
     * Payloads become due at {@code at}: a retry was recorded, a webhook enabled, failed payloads
     * resent; {@link Instant#EPOCH} when changes may have been missed.
     */
    void due(Instant at);

    /** The webhook was changed or deleted: what a node holds of it in memory is out of date. */
    void webhookChanged(String webhookId);
  }

  /**
   * Tells {@code listener} of due work and webhook changes made by this node and, on PostgreSQL, by
   * every other node sharing the database, so that nodes need not poll for each other's work.
   */
  void listen(Listener listener);

  // Log

  Page<LogEntry> log(String accountId, String webhookId, int page, int count);

  // Admin sessions

  /**
   * Stores a new session. First deletes every account's expired sessions (last seen at or before
   * {@code idleBefore}, or started at or before {@code startedBefore}) and the least recently seen
   * of this account's beyond {@code perAccount - 1}, so the table holds live sessions only, a
   * bounded number per account.
   */
  void startAdminSession(
      StoredSession session, Instant idleBefore, Instant startedBefore, int perAccount);

  /** The session whose token has this SHA-256, expired or not. */
  Optional<StoredSession> findAdminSession(String idHash);

  /** Moves the session's last-seen time to {@code at}, never back. */
  void touchAdminSession(String idHash, Instant at);

  /** Gives the session a notice, replacing any it had. */
  void setAdminSessionNotice(String idHash, StoredSession.Notice notice);

  /**
   * Removes the session's notice if it is still {@code notice}: whether it was, and so is the
   * caller's to show (once).
   */
  boolean takeAdminSessionNotice(String idHash, StoredSession.Notice notice);

  /** Gives the session a Secret to show once, replacing any it had. */
  void setAdminSessionSecret(String idHash, StoredSession.SealedSecret secret);

  /**
   * Removes the session's Secret if it is still the one sealed as {@code sealed}: whether it was,
   * and so is the caller's to show (once).
   */
  boolean takeAdminSessionSecret(String idHash, String sealed);

  void deleteAdminSession(String idHash);

  // Nodes

  /**
   * Makes this process a delivering node: its leases name it from now on. With SQLite, one process
   * is the only node, so every lease still held was its previous run's and is released now.
   *
   * @return the node's id
   */
  long joinAsNode(String host, Instant now);

  /** This node is alive at {@code now}. */
  void heartbeat(Instant now);

  /**
   * Releases the leases of every node whose last heartbeat is older than {@code silentFor}: their
   * payloads are due at once, for any node to claim, and the silent nodes are forgotten.
   *
   * @return the payloads released
   */
  int releaseSilentNodes(Instant now, Duration silentFor);

  /** This node stops delivering (its leases were given back). */
  void leaveAsNode();

  /**
   * Writes a consistent copy of the whole store to {@code file}, which must not exist, while the
   * store stays in use. Only the embedded SQLite store can; PostgreSQL is backed up with its own
   * tools.
   *
   * @throws UnsupportedOperationException saying how to back up this store instead
   */
  void backupTo(Path file);

  /**
   * Whether {@code e} means the store is overloaded for the moment (its write lock or its
   * connections were not to be had in time): a request failing with it is worth retrying.
   */
  boolean isBusy(Throwable e);

  @Override
  void close();
}
