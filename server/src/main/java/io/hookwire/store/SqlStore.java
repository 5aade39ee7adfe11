package io.hookwire.store;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwire.core.Account;
import io.hookwire.core.AttemptRecord;
import io.hookwire.core.Claim;
import io.hookwire.core.EventType;
import io.hookwire.core.Ids;
import io.hookwire.core.LogEntry;
import io.hookwire.core.NewEvent;
import io.hookwire.core.Page;
import io.hookwire.core.PayloadState;
import io.hookwire.core.PublishedEvent;
import io.hookwire.core.RetrySchedule;
import io.hookwire.core.Webhook;
import io.hookwire.core.WebhookChanges;
import io.hookwire.core.WebhookOrder;
import io.hookwire.core.WebhookQuery;
import io.hookwire.core.WebhookRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The store in SQL that both databases share. Subclasses supply what differs: the claim (row
 * locking) and how a unique-key violation shows.
 */
abstract class SqlStore implements Store {
  static final String WEBHOOK_COLUMNS =
      """
      account_id, id, name, description, event, url, is_enabled, secret_sealed,
      previous_secret_sealed, previous_secret_until, retry_schedule, batch_size, last_execution,
      created, modified""";

  final HikariDataSource dataSource;
  final Jdbi jdbi;
  final Subscriptions subscriptions = new Subscriptions();

  /**
   * Told, on every node, that a webhook changed; the payload is the node that changed it, the
   * account id and the webhook id, a space between each.
   */
  static final String WEBHOOKS_CHANNEL = "hookwire_webhooks";

  /**
   * Told, on every node, that payloads are or will be due; the payload is the earliest due time in
   * epoch milliseconds. Sent by a record that schedules retries, an enable and a resend.
   */
  static final String DUE_CHANNEL = "hookwire_due";

  SqlStore(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
  }

  static void migrate(HikariDataSource dataSource) {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  /**
   * This process's write transactions one at a time, first come first served, where the database
   * has one writer (SQLite): a waiting writer is woken the moment the lock is free, where SQLite's
   * busy handler would sleep and retry (up to 100 ms a time) and favours no one.
   */
  private final ReentrantLock writer = new ReentrantLock(true);

  /** Whether the database takes one write transaction at a time. */
  abstract boolean hasOneWriter();

  /** Runs {@code callback} in a write transaction. */
  final <R, X extends Exception> R write(HandleCallback<R, X> callback) throws X {
    if (!hasOneWriter()) {
      return jdbi.inTransaction(callback);
    }
    writer.lock();
    try {
      return jdbi.inTransaction(callback);
    } finally {
      writer.unlock();
    }
  }

  /** Runs {@code consumer} in a write transaction. */
  final <X extends Exception> void useWrite(HandleConsumer<X> consumer) throws X {
    write(
        h -> {
          consumer.useHandle(h);
          return null;
        });
  }

  /** Whether {@code e} is a violation of a unique index (a concurrent idempotent publish). */
  abstract boolean isUniqueViolation(Throwable e);

  /** Whether this database's own error {@code e} says it is overloaded for the moment. */
  abstract boolean isDialectBusy(Throwable e);

  @Override
  public boolean isBusy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // The pool gave up waiting for a connection.
      if (t instanceof java.sql.SQLTransientConnectionException || isDialectBusy(t)) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (isBusy(suppressed)) {
          return true;
        }
      }
    }
    return false;
  }

  private volatile Listener listener;

  /** Names this store's process in its notifications, so that it can pass over its own. */
  final String node = Ids.EVENT.next().substring(3);

  String changed(String accountId, String webhookId) {
    return node + " " + accountId + " " + webhookId;
  }

  /** After a change to a webhook committed, on whichever node it was made. */
  final void webhookChanged(String accountId, String webhookId) {
    subscriptions.forget(accountId);
    Listener l = listener;
    if (l != null) {
      l.webhookChanged(webhookId);
    }
  }

  @Override
  public void listen(Listener listener) {
    this.listener = listener;
  }

  /**
   * Tells every node's {@link #listen} something on {@code channel} when (and if) the transaction
   * of {@code h} commits. A no-op where one process is the only node.
   */
  abstract void notify(Handle h, String channel, String payload);

  /** Appended to a SELECT of one row that the transaction goes on to change. */
  abstract String lockRow();

  /**
   * Held until the transaction ends, beside other publishes: an enable of the webhook waits for it,
   * and it waits for an enable in progress (see {@link #excludePublishes}). Nothing where one
   * writer runs at a time.
   */
  abstract void sharePublishLock(Handle h, String webhookId);

  /** Taken by an enable: waits for the publishes holding {@link #sharePublishLock}. */
  abstract void excludePublishes(Handle h, String webhookId);

  /**
   * Lets the transaction of {@code h} commit without waiting for its WAL to reach the disk, where
   * the database can: for the recorder's attempts, whose loss in a crash of the database server
   * (not of Hookwire) leaves their payloads in flight, to be sent again when their leases end:
   * duplicates, never loss, as at any crash. A no-op where commits are always synchronous.
   */
  abstract void commitWithoutFlush(Handle h);

  // Accounts

  @Override
  public Account createAccount(String name, String apiKeyHash, Instant now) {
    Account account = new Account(Ids.ACCOUNT.next(), name, now);
    useWrite(
        h ->
            h.createUpdate(
                    "INSERT INTO account (id, name, api_key_hash, created) VALUES (?, ?, ?, ?)")
                .bind(0, account.id())
                .bind(1, name)
                .bind(2, apiKeyHash)
                .bind(3, now.toEpochMilli())
                .execute());
    return account;
  }

  @Override
  public Optional<StoredAccount> findAccount(String accountId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT id, name, api_key_hash, created FROM account WHERE id = ?")
                .bind(0, accountId)
                .map(
                    (rs, ctx) ->
                        new StoredAccount(
                            new Account(
                                rs.getString("id"), rs.getString("name"), instant(rs, "created")),
                            rs.getString("api_key_hash")))
                .findOne());
  }

  @Override
  public boolean setApiKeyHash(String accountId, String apiKeyHash) {
    return write(
            h ->
                h.createUpdate("UPDATE account SET api_key_hash = ? WHERE id = ?")
                    .bind(0, apiKeyHash)
                    .bind(1, accountId)
                    .execute())
        == 1;
  }

  // Webhooks

  @Override
  public void insertWebhook(WebhookRow row) {
    Webhook w = row.webhook();
    useWrite(
        h -> {
          h.createUpdate(
                  "INSERT INTO webhook ("
                      + WEBHOOK_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
              .bind(0, w.accountId())
              .bind(1, w.id())
              .bind(2, w.name())
              .bind(3, w.description())
              .bind(4, w.event().name())
              .bind(5, w.url())
              .bind(6, w.enabled() ? 1 : 0)
              .bind(7, row.secretSealed())
              .bind(8, row.previousSecretSealed().orElse(null))
              .bind(9, row.previousSecretUntil().map(Instant::toEpochMilli).orElse(null))
              .bind(10, w.retrySchedule().map(RetrySchedule::toString).orElse(null))
              .bind(11, w.batchSize())
              .bind(12, w.lastExecution().map(Instant::toEpochMilli).orElse(null))
              .bind(13, w.created().toEpochMilli())
              .bind(14, w.modified().toEpochMilli())
              .execute();
          notify(h, WEBHOOKS_CHANNEL, changed(w.accountId(), w.id()));
        });
    webhookChanged(w.accountId(), w.id());
  }

  @Override
  public Optional<WebhookRow> findWebhook(String accountId, String webhookId) {
    return jdbi.withHandle(h -> findWebhook(h, accountId, webhookId));
  }

  private static Optional<WebhookRow> findWebhook(Handle h, String accountId, String webhookId) {
    return findWebhook(h, accountId, webhookId, "");
  }

  private static Optional<WebhookRow> findWebhook(
      Handle h, String accountId, String webhookId, String lock) {
    return h.createQuery(
            "SELECT " + WEBHOOK_COLUMNS + " FROM webhook WHERE account_id = ? AND id = ? " + lock)
        .bind(0, accountId)
        .bind(1, webhookId)
        .map((rs, ctx) -> webhookRow(rs))
        .findOne();
  }

  /**
   * The SQL expression a list is sorted by. Text sorts case-insensitively, as people read a list of
   * names, and alike in both stores: otherwise SQLite compares bytes ("Zulu" before "alpha") and
   * PostgreSQL follows the database's collation.
   */
  private static String sortKey(WebhookOrder order) {
    return switch (order) {
      case name -> "LOWER(name)";
      case description -> "LOWER(description)";
      case lastExecutionDate -> "last_execution";
      case isEnabled -> "is_enabled";
      case created -> "created";
      case modified -> "modified";
    };
  }

  @Override
  public Page<WebhookRow> listWebhooks(String accountId, WebhookQuery q) {
    StringBuilder where = new StringBuilder(" WHERE account_id = :account");
    q.event().ifPresent(e -> where.append(" AND event = :event"));
    q.name().ifPresent(n -> where.append(" AND LOWER(name) LIKE :name ESCAPE '\\'"));
    String sortKey = sortKey(q.order());
    return jdbi.withHandle(
        h -> {
          var count = h.createQuery("SELECT COUNT(*) FROM webhook" + where);
          var select =
              h.createQuery(
                  "SELECT "
                      + WEBHOOK_COLUMNS
                      + " FROM webhook"
                      + where
                      // Never-run webhooks sort after the others in both databases.
                      + " ORDER BY ("
                      + sortKey
                      + " IS NULL), "
                      + sortKey
                      + ", id LIMIT :limit OFFSET :offset");
          for (var statement : List.of(count, select)) {
            statement.bind("account", accountId);
            q.event().ifPresent(e -> statement.bind("event", e.name()));
            q.name().ifPresent(n -> statement.bind("name", "%" + likeEscape(n) + "%"));
          }
          long total = count.mapTo(Long.class).one();
          List<WebhookRow> items =
              select
                  .bind("limit", q.count())
                  .bind("offset", (long) q.page() * q.count())
                  .map((rs, ctx) -> webhookRow(rs))
                  .list();
          return new Page<>(items, total);
        });
  }

  private static String likeEscape(String s) {
    return s.toLowerCase(java.util.Locale.ROOT)
        .replace("\\", "\\\\")
        .replace("%", "\\%")
        .replace("_", "\\_");
  }

  @Override
  public Optional<WebhookRow> updateWebhook(
      String accountId, String webhookId, WebhookChanges c, Instant now) {
    Optional<WebhookRow> updated = write(h -> updateWebhook(h, accountId, webhookId, c, now));
    webhookChanged(accountId, webhookId);
    return updated;
  }

  private Optional<WebhookRow> updateWebhook(
      Handle h, String accountId, String webhookId, WebhookChanges c, Instant now) {
    // Locked: a concurrent update must not write back fields read before ours committed.
    Optional<WebhookRow> before = findWebhook(h, accountId, webhookId, lockRow());
    if (before.isEmpty()) {
      return Optional.empty();
    }
    Webhook w = before.get().webhook();
    boolean enabled = c.enabled().orElse(w.enabled());
    h.createUpdate(
            """
                  UPDATE webhook SET name = ?, description = ?, event = ?, url = ?,
                    is_enabled = ?, retry_schedule = ?, batch_size = ?, modified = ?
                  WHERE account_id = ? AND id = ?""")
        .bind(0, c.name().orElse(w.name()))
        .bind(1, c.description().orElse(w.description()))
        .bind(2, c.event().orElse(w.event()).name())
        .bind(3, c.url().orElse(w.url()))
        .bind(4, enabled ? 1 : 0)
        .bind(
            5,
            c.retrySchedule().orElse(w.retrySchedule()).map(RetrySchedule::toString).orElse(null))
        .bind(6, c.batchSize().orElse(w.batchSize()))
        .bind(7, now.toEpochMilli())
        .bind(8, accountId)
        .bind(9, webhookId)
        .execute();
    // Whatever the webhook was: an enable also releases what a race with a publish or a
    // record may have left held.
    if (c.enabled().equals(Optional.of(false))) {
      // Waiting payloads wait for the enable; in-flight ones finish their attempt.
      h.createUpdate(
              """
                    UPDATE payload SET state = 'held'
                    WHERE account_id = ? AND webhook_id = ? AND state = 'pending'""")
          .bind(0, accountId)
          .bind(1, webhookId)
          .execute();
    } else if (c.enabled().equals(Optional.of(true))) {
      // After every publish that found it disabled has committed, so their held payloads are
      // released here; publishes from now on wait for this commit and find it enabled.
      excludePublishes(h, webhookId);
      // Due at their creation time: the dispatcher takes the oldest first. Each gets a
      // fresh retry schedule, as if published now.
      h.createUpdate(
              """
                    UPDATE payload SET state = 'pending', attempts = 0, due_at = created
                    WHERE account_id = ? AND webhook_id = ? AND state = 'held'""")
          .bind(0, accountId)
          .bind(1, webhookId)
          .execute();
      notify(h, DUE_CHANNEL, Long.toString(now.toEpochMilli()));
    }
    notify(h, WEBHOOKS_CHANNEL, changed(accountId, webhookId));
    return findWebhook(h, accountId, webhookId);
  }

  @Override
  public boolean deleteWebhook(String accountId, String webhookId) {
    boolean deleted =
        write(
            h -> {
              notify(h, WEBHOOKS_CHANNEL, changed(accountId, webhookId));
              for (String table : List.of("delivery_log", "payload")) {
                h.createUpdate("DELETE FROM " + table + " WHERE account_id = ? AND webhook_id = ?")
                    .bind(0, accountId)
                    .bind(1, webhookId)
                    .execute();
              }
              return h.createUpdate("DELETE FROM webhook WHERE account_id = ? AND id = ?")
                      .bind(0, accountId)
                      .bind(1, webhookId)
                      .execute()
                  == 1;
            });
    webhookChanged(accountId, webhookId);
    return deleted;
  }

  @Override
  public Optional<WebhookRow> rotateSecret(
      String accountId,
      String webhookId,
      String newSecretSealed,
      String previousSecretSealed,
      Instant previousUntil,
      Instant now) {
    Optional<WebhookRow> rotated =
        write(
            h -> {
              notify(h, WEBHOOKS_CHANNEL, changed(accountId, webhookId));
              int updated =
                  h.createUpdate(
                          """
                      UPDATE webhook SET secret_sealed = ?, previous_secret_sealed = ?,
                        previous_secret_until = ?, modified = ?
                      WHERE account_id = ? AND id = ?""")
                      .bind(0, newSecretSealed)
                      .bind(1, previousSecretSealed)
                      .bind(2, previousUntil.toEpochMilli())
                      .bind(3, now.toEpochMilli())
                      .bind(4, accountId)
                      .bind(5, webhookId)
                      .execute();
              return updated == 1 ? findWebhook(h, accountId, webhookId) : Optional.empty();
            });
    webhookChanged(accountId, webhookId);
    return rotated;
  }

  @Override
  public long countPayloads(String accountId, String webhookId, PayloadState state) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT COUNT(*) FROM payload
                    WHERE account_id = ? AND webhook_id = ? AND state = ?""")
                .bind(0, accountId)
                .bind(1, webhookId)
                .bind(2, state.name())
                .mapTo(Long.class)
                .one());
  }

  // Events

  @Override
  public Published publish(
      List<Publication> group, Instant now, Duration idempotencyWindow, LiveLeases leases) {
    try {
      return write(h -> publish(h, group, now, idempotencyWindow, leases));
    } catch (RuntimeException e) {
      leases.cancel();
      if (!isUniqueViolation(e)) {
        throw e;
      }
    }
    // A concurrent publish stored the same idempotency key first; now we find its event.
    try {
      return write(h -> publish(h, group, now, idempotencyWindow, leases));
    } catch (RuntimeException e) {
      leases.cancel();
      throw e;
    }
  }

  private Published publish(
      Handle h, List<Publication> group, Instant now, Duration window, LiveLeases leases) {
    long nowMs = now.toEpochMilli();
    Instant leaseUntil = leases.until();
    List<List<PublishedEvent>> published = new ArrayList<>(group.size());
    List<Claim> leased = new ArrayList<>();
    try (JdbcBatch eventInserts =
            JdbcBatch.of(
                h,
                """
                INSERT INTO event (account_id, id, event, data, idempotency_key, created)
                VALUES (?, ?, ?, ?, ?, ?)""");
        JdbcBatch payloadInserts =
            JdbcBatch.of(
                h,
                """
                INSERT INTO payload (account_id, id, webhook_id, event_id, state, attempts,
                  due_at, created, leased_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
      // Keys seen in this transaction, by account: a repeated key names the event stored first.
      Map<List<String>, PublishedEvent> byKey = new HashMap<>();
      // Webhooks the cache had disabled, as this transaction finds them.
      Map<String, Boolean> enabledNow = new HashMap<>();
      for (Publication publication : group) {
        String accountId = publication.accountId();
        List<PublishedEvent> events = new ArrayList<>(publication.events().size());
        for (NewEvent e : publication.events()) {
          if (e.idempotencyKey().isPresent()) {
            List<String> key = List.of(accountId, e.idempotencyKey().get());
            PublishedEvent seen = byKey.get(key);
            Optional<PublishedEvent> earlier =
                seen != null
                    ? Optional.of(seen)
                    : findByIdempotencyKey(h, accountId, key.get(1), nowMs - window.toMillis());
            if (earlier.isPresent()) {
              events.add(duplicateOf(earlier.get()));
              continue;
            }
          }
          List<Subscriptions.Subscriber> targets =
              subscriptions.get(accountId, e.event(), () -> subscribers(h, accountId, e.event()));
          String eventId = Ids.EVENT.next();
          eventInserts
              .text(accountId)
              .text(eventId)
              .text(e.event().name())
              .text(e.data())
              .text(e.idempotencyKey().orElse(null))
              .number(nowMs)
              .add();
          for (Subscriptions.Subscriber s : targets) {
            String payloadId = Ids.PAYLOAD.next();
            PayloadState state;
            // The subscription cache may say disabled while an enable commits: asked again in
            // this transaction, in step with enables, so a payload is never held for a webhook
            // that is enabled (its release would not have seen it).
            boolean enabled =
                s.enabled()
                    || enabledNow.computeIfAbsent(s.webhookId(), id -> isEnabled(h, accountId, id));
            if (!enabled) {
              state = PayloadState.held;
            } else if (leases.take(s.webhookId(), s.batchSize(), e.data().length())) {
              // Leased to this node from the start: its first attempt begins now.
              state = PayloadState.in_flight;
              leased.add(
                  new Claim(
                      accountId,
                      payloadId,
                      s.webhookId(),
                      1,
                      e.event(),
                      now,
                      e.data(),
                      s.url(),
                      s.secretSealed(),
                      s.previousSecretSealed(),
                      s.previousSecretUntil(),
                      s.retrySchedule(),
                      s.batchSize(),
                      leaseUntil));
            } else {
              state = PayloadState.pending;
            }
            boolean inFlight = state == PayloadState.in_flight;
            payloadInserts
                .text(accountId)
                .text(payloadId)
                .text(s.webhookId())
                .text(eventId)
                .text(state.name())
                .number(inFlight ? 1 : 0)
                // in_flight: due again when the lease ends, should this node die meanwhile.
                .number(inFlight ? leaseUntil.toEpochMilli() : nowMs)
                .number(nowMs)
                .nullableNumber(inFlight ? nodeId : null)
                .add();
          }
          PublishedEvent p =
              new PublishedEvent(
                  eventId, e.event(), e.idempotencyKey(), now, targets.size(), false);
          e.idempotencyKey().ifPresent(key -> byKey.put(List.of(accountId, key), p));
          events.add(p);
        }
        published.add(events);
      }
      eventInserts.execute();
      payloadInserts.execute();
    }
    return new Published(published, leased);
  }

  /**
   * Whether the webhook is enabled, read after {@link #sharePublishLock}: an enable in progress is
   * waited for, and one that starts later waits for this transaction, whose held payloads its
   * release then sees.
   */
  private boolean isEnabled(Handle h, String accountId, String webhookId) {
    sharePublishLock(h, webhookId);
    return h.createQuery("SELECT is_enabled FROM webhook WHERE account_id = ? AND id = ?")
        .bind(0, accountId)
        .bind(1, webhookId)
        .mapTo(Integer.class)
        .findOne()
        .map(enabled -> enabled == 1)
        .orElse(false);
  }

  private static PublishedEvent duplicateOf(PublishedEvent first) {
    return new PublishedEvent(
        first.id(), first.event(), first.idempotencyKey(), first.created(), first.payloads(), true);
  }

  private static List<Subscriptions.Subscriber> subscribers(
      Handle h, String accountId, EventType type) {
    return h.createQuery(
            """
            SELECT id, is_enabled, url, secret_sealed, previous_secret_sealed,
              previous_secret_until, retry_schedule, batch_size
            FROM webhook WHERE account_id = ? AND event = ?
            ORDER BY created, id""")
        .bind(0, accountId)
        .bind(1, type.name())
        .map(
            (rs, ctx) ->
                new Subscriptions.Subscriber(
                    rs.getString("id"),
                    rs.getInt("is_enabled") == 1,
                    rs.getString("url"),
                    rs.getString("secret_sealed"),
                    Optional.ofNullable(rs.getString("previous_secret_sealed")),
                    optionalInstant(rs, "previous_secret_until"),
                    Optional.ofNullable(rs.getString("retry_schedule")),
                    rs.getInt("batch_size")))
        .list();
  }

  private static Optional<PublishedEvent> findByIdempotencyKey(
      Handle h, String accountId, String key, long notBeforeMs) {
    Optional<PublishedEvent> found =
        h.createQuery(
                """
                SELECT e.id, e.event, e.created,
                  (SELECT COUNT(*) FROM payload p
                   WHERE p.account_id = e.account_id AND p.event_id = e.id) AS payloads
                FROM event e WHERE e.account_id = ? AND e.idempotency_key = ?""")
            .bind(0, accountId)
            .bind(1, key)
            .map(
                (rs, ctx) ->
                    new PublishedEvent(
                        rs.getString("id"),
                        EventType.valueOf(rs.getString("event")),
                        Optional.of(key),
                        instant(rs, "created"),
                        rs.getInt("payloads"),
                        true))
            .findOne();
    if (found.isPresent() && found.get().created().toEpochMilli() < notBeforeMs) {
      // The key's window has passed: it may name a new event now.
      h.createUpdate(
              "UPDATE event SET idempotency_key = NULL WHERE account_id = ? AND idempotency_key = ?")
          .bind(0, accountId)
          .bind(1, key)
          .execute();
      return Optional.empty();
    }
    return found;
  }

  // Delivery

  /**
   * The columns a claim returns for each leased payload: what sending needs, but for {@code
   * attempts}, the number of the attempt the lease starts. Aliases: {@code l} the leased payload,
   * {@code e} its event, {@code w} its webhook.
   */
  static final String CLAIM_COLUMNS =
      """
      l.account_id, l.id, l.webhook_id, e.event, e.created AS event_created, e.data,
      w.url, w.secret_sealed, w.previous_secret_sealed, w.previous_secret_until, w.retry_schedule,
      w.batch_size""";

  @Override
  public List<Claim> claim(
      int limit,
      int requestsPerWebhook,
      Collection<String> busyWebhooks,
      Instant now,
      Instant leaseUntil) {
    // An id that no webhook has keeps "NOT IN (...)" valid when nothing is excluded.
    List<String> excluded = busyWebhooks.isEmpty() ? List.of("") : List.copyOf(busyWebhooks);
    return write(
        h -> lease(h, limit, requestsPerWebhook, excluded, now.toEpochMilli(), leaseUntil));
  }

  /**
   * Leases the oldest due payloads: at most {@code requestsPerWebhook × batch size} of each enabled
   * webhook not in {@code excluded}, at most {@code limit} in all, and returns them with what
   * sending needs, oldest first. Each webhook's payloads come from its own slice of the {@code
   * payload_queue} index, so a claim costs one short index range per webhook, whatever the backlog.
   */
  // Nodes

  /** This process's node id once it delivers; null for a command that only reads or writes. */
  volatile Long nodeId;

  @Override
  public long joinAsNode(String host, Instant now) {
    long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    write(
        h -> {
          forgetPreviousRun(h, now.toEpochMilli());
          h.createUpdate(
                  """
                  INSERT INTO node (id, host, started, heartbeat_at)
                  VALUES (:id, :host, :now, :now)""")
              .bind("id", id)
              .bind("host", host)
              .bind("now", now.toEpochMilli())
              .execute();
          return null;
        });
    nodeId = id;
    return id;
  }

  /**
   * What joining a node does about nodes that ran before it: with one process on the store (SQLite)
   * every lease was the previous run's and is released; where nodes share the store, nothing (the
   * silent ones are released by heartbeat).
   */
  abstract void forgetPreviousRun(Handle h, long nowMs);

  @Override
  public void heartbeat(Instant now) {
    Long id = nodeId;
    if (id != null) {
      jdbi.useHandle(
          h ->
              h.createUpdate("UPDATE node SET heartbeat_at = :now WHERE id = :id")
                  .bind("now", now.toEpochMilli())
                  .bind("id", id)
                  .execute());
    }
  }

  @Override
  public int releaseSilentNodes(Instant now, Duration silentFor) {
    long nowMs = now.toEpochMilli();
    return write(
        h -> {
          List<Long> silent =
              h.createQuery(
                      "SELECT id FROM node WHERE heartbeat_at < :since AND id <> :me " + lockRow())
                  .bind("since", nowMs - silentFor.toMillis())
                  .bind("me", nodeId == null ? 0L : nodeId)
                  .mapTo(Long.class)
                  .list();
          int released = 0;
          for (long id : silent) {
            released +=
                h.createUpdate(
                        """
                        UPDATE payload SET due_at = :now, leased_by = NULL
                        -- The IN term matches payload_queue's: the queue is read, not every row.
                        WHERE state IN ('pending', 'in_flight') AND state = 'in_flight'
                          AND leased_by = :id""")
                    .bind("now", nowMs)
                    .bind("id", id)
                    .execute();
            h.createUpdate("DELETE FROM node WHERE id = :id").bind("id", id).execute();
          }
          if (released > 0) {
            notify(h, DUE_CHANNEL, Long.toString(nowMs));
          }
          return released;
        });
  }

  @Override
  public void leaveAsNode() {
    Long id = nodeId;
    if (id != null) {
      jdbi.useHandle(
          h -> h.createUpdate("DELETE FROM node WHERE id = :id").bind("id", id).execute());
      nodeId = null;
    }
  }

  abstract List<Claim> lease(
      Handle h,
      int limit,
      int requestsPerWebhook,
      List<String> excluded,
      long nowMs,
      Instant leaseUntil);

  /** Reads one row of {@link #CLAIM_COLUMNS}. */
  static Claim claimRow(ResultSet rs, Instant leaseUntil) throws SQLException {
    return new Claim(
        rs.getString("account_id"),
        rs.getString("id"),
        rs.getString("webhook_id"),
        rs.getInt("attempts"),
        EventType.valueOf(rs.getString("event")),
        instant(rs, "event_created"),
        rs.getString("data"),
        rs.getString("url"),
        rs.getString("secret_sealed"),
        Optional.ofNullable(rs.getString("previous_secret_sealed")),
        optionalInstant(rs, "previous_secret_until"),
        Optional.ofNullable(rs.getString("retry_schedule")),
        rs.getInt("batch_size"),
        leaseUntil);
  }

  @Override
  public void release(List<Claim> claims) {
    if (claims.isEmpty()) {
      return;
    }
    useWrite(
        h -> {
          PreparedBatch release =
              h.prepareBatch(
                  """
                  UPDATE payload SET
                    state = CASE
                      WHEN state <> 'in_flight' OR attempts <> :attempt THEN state
                      -- A webhook disabled meanwhile holds them for its enable.
                      WHEN EXISTS (
                        SELECT 1 FROM webhook w WHERE w.account_id = payload.account_id
                          AND w.id = payload.webhook_id AND w.is_enabled = 1)
                      THEN 'pending' ELSE 'held' END,
                    -- Due at once, and in the order they were published.
                    due_at = CASE
                      WHEN state <> 'in_flight' OR attempts <> :attempt THEN due_at
                      ELSE created END,
                    attempts = CASE
                      WHEN state <> 'in_flight' OR attempts <> :attempt THEN attempts
                      ELSE attempts - 1 END
                  -- Only the primary key (see setStates): a lease that is no longer this
                  -- node's is left as it is by the CASEs above.
                  WHERE account_id = :account AND id = :id""");
          for (Claim c : claims) {
            release
                .bind("account", c.accountId())
                .bind("id", c.payloadId())
                .bind("attempt", c.attempt())
                .add();
          }
          release.execute();
        });
  }

  @Override
  public void record(List<AttemptRecord> attempts) {
    if (attempts.isEmpty()) {
      return;
    }
    Optional<Instant> firstRetry =
        attempts.stream()
            .filter(a -> a.nextState() == PayloadState.pending)
            .map(AttemptRecord::dueAt)
            .min(Instant::compareTo);
    useWrite(
        h -> {
          commitWithoutFlush(h);
          Map<List<String>, Long> lastRun = new HashMap<>();
          try (JdbcBatch logs =
              JdbcBatch.of(
                  h,
                  """
                  INSERT INTO delivery_log (account_id, id, webhook_id, payload_id, attempt,
                    created, response_code, execution_micros, error, response_body)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (AttemptRecord a : attempts) {
              logs.text(a.accountId())
                  .text(a.logId())
                  .text(a.webhookId())
                  .text(a.payloadId())
                  .number(a.attempt())
                  .number(a.created().toEpochMilli())
                  .number(a.responseCode())
                  .number(a.executionMicros())
                  .text(a.error())
                  .text(a.responseBody())
                  .add();
              lastRun.merge(
                  List.of(a.accountId(), a.webhookId()), a.created().toEpochMilli(), Math::max);
            }
            setStates(h, attempts);
            logs.execute();
          }
          PreparedBatch runs =
              h.prepareBatch(
                  """
                  UPDATE webhook SET last_execution = :at
                  WHERE account_id = :account AND id = :id
                    AND (last_execution IS NULL OR last_execution < :at)""");
          lastRun.forEach(
              (key, at) ->
                  runs.bind("at", at).bind("account", key.get(0)).bind("id", key.get(1)).add());
          runs.execute();
          firstRetry.ifPresent(at -> notify(h, DUE_CHANNEL, Long.toString(at.toEpochMilli())));
        });
    // This node's own retries, on either store: other nodes hear of them by notification.
    Listener l = listener;
    if (l != null) {
      firstRetry.ifPresent(l::due);
    }
  }

  /**
   * Moves each attempt's payload to the attempt's next state, if it is still in flight: a webhook
   * disabled while the attempt ran holds the retry instead, and an attempt whose lease ran out may
   * answer while the next attempt runs, so only its success still counts (the next attempt decides
   * anything else); any other row keeps its values.
   *
   * <p>One statement per attempt, each naming its row by the primary key alone, with the state
   * checked in the CASEs rather than the WHERE: a state in the WHERE implies payload_queue's
   * predicate, and PostgreSQL then planned the lookup as a scan of that whole partial index, which
   * statistics taken while few payloads were queued call small (5 ms a row, 37,000 index entries,
   * once 40,000 payloads were waiting). A single statement joining the group's keys was planned as
   * a scan of the whole table while its statistics were young. The primary key is the one plan that
   * stays right whatever the statistics.
   */
  static final String SET_STATE =
      """
      UPDATE payload SET
        state = CASE
          WHEN state <> 'in_flight' OR (attempts <> ? AND ? <> 'delivered') THEN state
          WHEN ? = 'pending' AND NOT EXISTS (
            SELECT 1 FROM webhook w WHERE w.account_id = payload.account_id
              AND w.id = payload.webhook_id AND w.is_enabled = 1) THEN 'held'
          ELSE ? END,
        due_at = CASE
          WHEN state <> 'in_flight' OR (attempts <> ? AND ? <> 'delivered') THEN due_at
          ELSE ? END
      WHERE account_id = ? AND id = ?""";

  private static void setStates(Handle h, List<AttemptRecord> attempts) {
    try (JdbcBatch states = JdbcBatch.of(h, SET_STATE)) {
      for (AttemptRecord a : attempts) {
        String next = a.nextState().name();
        states
            .number(a.attempt())
            .text(next)
            .text(next)
            .text(next)
            .number(a.attempt())
            .text(next)
            .number(a.dueAt().toEpochMilli())
            .text(a.accountId())
            .text(a.payloadId())
            .add();
      }
      states.execute();
    }
  }

  @Override
  public int resend(String accountId, String webhookId, Optional<Instant> since, Instant now) {
    return write(
        h -> {
          // Locked: an enable or disable committing meanwhile would leave these in the wrong state.
          boolean enabled =
              findWebhook(h, accountId, webhookId, lockRow())
                  .map(r -> r.webhook().enabled())
                  .orElse(false);
          if (enabled) {
            notify(h, DUE_CHANNEL, Long.toString(now.toEpochMilli()));
          }
          return h.createUpdate(
                  """
                  UPDATE payload SET state = :state, attempts = 0, due_at = created
                  WHERE account_id = :account AND webhook_id = :webhook AND state = 'failed'
                    AND created >= :since""")
              // A disabled webhook keeps them held until it is enabled.
              .bind("state", (enabled ? PayloadState.pending : PayloadState.held).name())
              .bind("account", accountId)
              .bind("webhook", webhookId)
              .bind("since", since.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE))
              .execute();
        });
  }

  // Admin sessions

  @Override
  public void startAdminSession(
      StoredSession session, Instant idleBefore, Instant startedBefore, int perAccount) {
    useWrite(
        h -> {
          // Every account's expired sessions (sign-ins are rare and the table is small), and
          // this account's least recently seen beyond the bound.
          h.createUpdate(
                  """
                  DELETE FROM admin_session
                  WHERE last_seen <= :idle OR started <= :started
                    OR (account_id = :account AND id_hash NOT IN (
                      SELECT id_hash FROM admin_session WHERE account_id = :account
                      ORDER BY last_seen DESC, id_hash LIMIT :keep))""")
              .bind("idle", idleBefore.toEpochMilli())
              .bind("started", startedBefore.toEpochMilli())
              .bind("account", session.accountId())
              .bind("keep", perAccount - 1)
              .execute();
          h.createUpdate(
                  """
                  INSERT INTO admin_session (id_hash, account_id, api_key_hash, csrf_token,
                    started, last_seen)
                  VALUES (?, ?, ?, ?, ?, ?)""")
              .bind(0, session.idHash())
              .bind(1, session.accountId())
              .bind(2, session.apiKeyHash())
              .bind(3, session.csrfToken())
              .bind(4, session.started().toEpochMilli())
              .bind(5, session.lastSeen().toEpochMilli())
              .execute();
        });
  }

  @Override
  public Optional<StoredSession> findAdminSession(String idHash) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT id_hash, account_id, api_key_hash, csrf_token, started, last_seen,
                      notice_error, notice_text, secret_webhook_id, secret_sealed, secret_rotated
                    FROM admin_session WHERE id_hash = ?""")
                .bind(0, idHash)
                .map((rs, ctx) -> storedSession(rs))
                .findOne());
  }

  private static StoredSession storedSession(ResultSet rs) throws SQLException {
    String noticeText = rs.getString("notice_text");
    String sealed = rs.getString("secret_sealed");
    return new StoredSession(
        rs.getString("id_hash"),
        rs.getString("account_id"),
        rs.getString("api_key_hash"),
        rs.getString("csrf_token"),
        instant(rs, "started"),
        instant(rs, "last_seen"),
        noticeText == null
            ? Optional.empty()
            : Optional.of(new StoredSession.Notice(rs.getInt("notice_error") == 1, noticeText)),
        sealed == null
            ? Optional.empty()
            : Optional.of(
                new StoredSession.SealedSecret(
                    rs.getString("secret_webhook_id"), sealed, rs.getInt("secret_rotated") == 1)));
  }

  @Override
  public void touchAdminSession(String idHash, Instant at) {
    changeAdminSession(
        "UPDATE admin_session SET last_seen = ? WHERE id_hash = ? AND last_seen < ?",
        at.toEpochMilli(),
        idHash,
        at.toEpochMilli());
  }

  @Override
  public void setAdminSessionNotice(String idHash, StoredSession.Notice notice) {
    changeAdminSession(
        "UPDATE admin_session SET notice_error = ?, notice_text = ? WHERE id_hash = ?",
        notice.error() ? 1 : 0,
        notice.text(),
        idHash);
  }

  @Override
  public boolean takeAdminSessionNotice(String idHash, StoredSession.Notice notice) {
    return changeAdminSession(
            """
            UPDATE admin_session SET notice_error = NULL, notice_text = NULL
            WHERE id_hash = ? AND notice_error = ? AND notice_text = ?""",
            idHash,
            notice.error() ? 1 : 0,
            notice.text())
        == 1;
  }

  @Override
  public void setAdminSessionSecret(String idHash, StoredSession.SealedSecret secret) {
    changeAdminSession(
        """
        UPDATE admin_session SET secret_webhook_id = ?, secret_sealed = ?, secret_rotated = ?
        WHERE id_hash = ?""",
        secret.webhookId(),
        secret.sealed(),
        secret.rotated() ? 1 : 0,
        idHash);
  }

  @Override
  public boolean takeAdminSessionSecret(String idHash, String sealed) {
    return changeAdminSession(
            """
            UPDATE admin_session
            SET secret_webhook_id = NULL, secret_sealed = NULL, secret_rotated = NULL
            WHERE id_hash = ? AND secret_sealed = ?""",
            idHash,
            sealed)
        == 1;
  }

  @Override
  public void deleteAdminSession(String idHash) {
    changeAdminSession("DELETE FROM admin_session WHERE id_hash = ?", idHash);
  }

  /** Runs one statement on one session's row; the number of rows it changed. */
  private int changeAdminSession(String sql, Object... values) {
    return write(
        h -> {
          var update = h.createUpdate(sql);
          for (int i = 0; i < values.length; i++) {
            update.bind(i, values[i]);
          }
          return update.execute();
        });
  }

  // Log

  @Override
  public Page<LogEntry> log(String accountId, String webhookId, int page, int count) {
    return jdbi.withHandle(
        h -> {
          long total =
              h.createQuery(
                      "SELECT COUNT(*) FROM delivery_log WHERE account_id = ? AND webhook_id = ?")
                  .bind(0, accountId)
                  .bind(1, webhookId)
                  .mapTo(Long.class)
                  .one();
          List<LogEntry> items =
              h.createQuery(
                      """
                      SELECT l.id, l.payload_id, l.webhook_id, l.attempt, l.created,
                        l.response_code, l.execution_micros, l.error, l.response_body, e.event,
                        e.created AS event_created, e.data
                      FROM delivery_log l
                      JOIN payload p ON p.account_id = l.account_id AND p.id = l.payload_id
                      JOIN event e ON e.account_id = p.account_id AND e.id = p.event_id
                      WHERE l.account_id = ? AND l.webhook_id = ?
                      ORDER BY l.created DESC, l.id DESC
                      LIMIT ? OFFSET ?""")
                  .bind(0, accountId)
                  .bind(1, webhookId)
                  .bind(2, count)
                  .bind(3, (long) page * count)
                  .map(
                      (rs, ctx) ->
                          new LogEntry(
                              rs.getString("id"),
                              rs.getString("payload_id"),
                              rs.getString("webhook_id"),
                              rs.getInt("attempt"),
                              instant(rs, "created"),
                              rs.getInt("response_code"),
                              rs.getLong("execution_micros"),
                              rs.getString("error"),
                              rs.getString("response_body"),
                              EventType.valueOf(rs.getString("event")),
                              instant(rs, "event_created"),
                              rs.getString("data")))
                  .list();
          return new Page<>(items, total);
        });
  }

  @Override
  public void close() {
    dataSource.close();
  }

  // Mapping

  static WebhookRow webhookRow(ResultSet rs) throws SQLException {
    Webhook w =
        new Webhook(
            rs.getString("account_id"),
            rs.getString("id"),
            rs.getString("name"),
            rs.getString("description"),
            EventType.valueOf(rs.getString("event")),
            rs.getString("url"),
            rs.getInt("is_enabled") == 1,
            Optional.ofNullable(rs.getString("retry_schedule")).map(RetrySchedule::parse),
            rs.getInt("batch_size"),
            optionalInstant(rs, "last_execution"),
            instant(rs, "created"),
            instant(rs, "modified"));
    return new WebhookRow(
        w,
        rs.getString("secret_sealed"),
        Optional.ofNullable(rs.getString("previous_secret_sealed")),
        optionalInstant(rs, "previous_secret_until"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(column));
  }

  static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
  }
}
