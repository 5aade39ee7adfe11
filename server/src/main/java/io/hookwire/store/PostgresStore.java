package io.hookwire.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hookwire.core.Claim;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production store. Any number of nodes share one database: the claim locks the rows it leases
 * with {@code FOR UPDATE SKIP LOCKED}, so nodes never wait on each other or take the same payload
 * while its lease lasts; {@code LISTEN/NOTIFY} tells every node at once of work that becomes due
 * and of webhook changes.
 */
public final class PostgresStore extends SqlStore {
  private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);

  /** How long the listener waits for notifications in one call: bounds how long close() takes. */
  private static final Duration LISTEN_WAIT = Duration.ofMillis(500);

  private final String jdbcUrl;
  private volatile boolean open = true;
  private Thread listening;

  private PostgresStore(HikariDataSource dataSource, String jdbcUrl) {
    super(dataSource);
    this.jdbcUrl = jdbcUrl;
  }

  /**
   * @param jdbcUrl {@code jdbc:postgresql://host/db?user=...&password=...}
   */
  /** Nodes share the database: a previous run's leases are released once its heartbeat stops. */
  @Override
  void forgetPreviousRun(Handle h, long nowMs) {}

  @Override
  public void backupTo(Path file) {
    throw new UnsupportedOperationException(
        "back up PostgreSQL with its own tools (pg_dump, or your provider's snapshots):"
            + " docs/operations.md, Backups and keys");
  }

  public static PostgresStore open(String jdbcUrl, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("hookwire-postgres");
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    // Multi-row INSERTs for batches: publish and record write many rows per transaction.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("ApplicationName", "hookwire");
    HikariDataSource dataSource = new HikariDataSource(config);
    migrate(dataSource);
    return new PostgresStore(dataSource, jdbcUrl);
  }

  @Override
  boolean isDialectBusy(Throwable e) {
    // Deadlock detected, serialization failure, too many connections.
    return e instanceof SQLException s
        && List.of("40P01", "40001", "53300").contains(s.getSQLState());
  }

  @Override
  boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  @Override
  boolean hasOneWriter() {
    return false;
  }

  @Override
  String lockRow() {
    return "FOR UPDATE";
  }

  /**
   * Advisory locks, in the lock manager's memory: a share lock on the webhook's row would write it
   * (a multixact when publishes overlap), which took 12% of ingest into a disabled webhook.
   */
  @Override
  void sharePublishLock(Handle h, String webhookId) {
    h.createQuery("SELECT pg_advisory_xact_lock_shared(hashtext(?))")
        .bind(0, webhookId)
        .mapTo(String.class)
        .one();
  }

  @Override
  void excludePublishes(Handle h, String webhookId) {
    h.createQuery("SELECT pg_advisory_xact_lock(hashtext(?))")
        .bind(0, webhookId)
        .mapTo(String.class)
        .one();
  }

  @Override
  void commitWithoutFlush(Handle h) {
    // During the latency phase of the benchmark, sessions waited mostly on WALWrite and WALSync at
    // COMMIT: every attempt group flushed the WAL on its own (docs/performance.md).
    h.execute("SET LOCAL synchronous_commit = off");
  }

  @Override
  void notify(Handle h, String channel, String payload) {
    // Delivered to every listening session when the transaction commits, and not at all if it
    // rolls back.
    h.createQuery("SELECT pg_notify(?, ?)")
        .bind(0, channel)
        .bind(1, payload)
        .map((rs, ctx) -> "")
        .list();
  }

  /**
   * Leases and returns the due payloads in one statement: each webhook's oldest due payloads, read
   * from its slice of payload_queue, the oldest of all of them chosen, and those locked with {@code
   * SKIP LOCKED}: another node claiming at the same moment passes over them (never waits).
   */
  @Override
  List<Claim> lease(
      Handle h,
      int limit,
      int requestsPerWebhook,
      List<String> excluded,
      long nowMs,
      Instant leaseUntil) {
    return h.createQuery(
            """
            WITH candidates AS (
              SELECT q.account_id, q.id, q.state, q.due_at
              FROM webhook w
              CROSS JOIN LATERAL (
                SELECT p.account_id, p.id, p.state, p.due_at FROM payload p
                WHERE p.account_id = w.account_id AND p.webhook_id = w.id
                  AND p.state IN ('pending', 'in_flight') AND p.due_at <= :now
                ORDER BY p.due_at
                LIMIT :requests * w.batch_size) q
              -- A lease that ran out while its webhook was disabled, or a publish that raced a
              -- disable, leaves payloads due for a disabled webhook: they wait for the enable.
              WHERE w.is_enabled = 1 AND w.id NOT IN (<excluded>)
              ORDER BY q.due_at, q.id
              -- Twice what is leased: room to pass over what another node is claiming right now.
              LIMIT :limit * 2
            ),
            -- Only the payloads leased are locked: locking every webhook's candidates wrote a lock
            -- on each of them (100 webhooks × 256 rows per claim in the fan-out phase) to lease
            -- 256. A row another node locked or leased meanwhile is passed over: a lease or a record
            -- changes its state or due_at. (Compared with the candidate's, not with literals, so
            -- that the planner looks each row up by its key, not in payload_queue.)
            due AS (
              SELECT p.account_id, p.id, p.due_at
              FROM candidates c
              JOIN payload p ON p.account_id = c.account_id AND p.id = c.id
              WHERE p.state = c.state AND p.due_at = c.due_at
              ORDER BY c.due_at, c.id
              LIMIT :limit
              FOR UPDATE OF p SKIP LOCKED
            ),
            leased AS (
              UPDATE payload p SET state = 'in_flight', due_at = :lease, attempts = p.attempts + 1,
                leased_by = :node
              FROM due WHERE p.account_id = due.account_id AND p.id = due.id
              RETURNING p.account_id, p.id, p.webhook_id, p.event_id, p.attempts,
                due.due_at AS was_due
            )
            SELECT l.attempts, <columns>
            FROM leased l
            JOIN event e ON e.account_id = l.account_id AND e.id = l.event_id
            JOIN webhook w ON w.account_id = l.account_id AND w.id = l.webhook_id
            ORDER BY l.was_due, l.id""")
        .define("columns", CLAIM_COLUMNS)
        .bindList("excluded", excluded)
        .bind("now", nowMs)
        .bind("requests", requestsPerWebhook)
        .bind("limit", limit)
        .bind("lease", leaseUntil.toEpochMilli())
        .bind("node", nodeId)
        .map((rs, ctx) -> claimRow(rs, leaseUntil))
        .list();
  }

  @Override
  public synchronized void listen(Listener listener) {
    super.listen(listener);
    if (this.listening != null) {
      throw new IllegalStateException("already listening");
    }
    this.listening =
        Thread.ofPlatform()
            .name("hookwire-listener")
            .daemon()
            .start(
                () -> {
                  while (open) {
                    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                      listenOn(c, listener);
                    } catch (SQLException e) {
                      if (open) {
                        // Polling still finds the work meanwhile; webhook caches expire.
                        log.warn(
                            "listening for other nodes failed; reconnecting: {}", e.toString());
                        sleepQuietly(LISTEN_WAIT);
                      }
                    }
                  }
                });
  }

  private void listenOn(Connection c, Listener listener) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN " + WEBHOOKS_CHANNEL);
      s.execute("LISTEN " + DUE_CHANNEL);
    }
    // Changes made while no connection listened were missed: start from the database.
    subscriptions.forgetAll();
    listener.due(Instant.EPOCH);
    PGConnection pg = c.unwrap(PGConnection.class);
    while (open) {
      PGNotification[] received = pg.getNotifications((int) LISTEN_WAIT.toMillis());
      if (received == null) {
        continue;
      }
      for (PGNotification n : received) {
        String[] words = n.getParameter().split(" ");
        try {
          if (n.getName().equals(WEBHOOKS_CHANNEL) && words.length == 3) {
            if (!words[0].equals(node)) {
              // This node's own changes were handled when they committed.
              webhookChanged(words[1], words[2]);
            }
          } else if (n.getName().equals(DUE_CHANNEL)) {
            listener.due(Instant.ofEpochMilli(Long.parseLong(words[0])));
          }
        } catch (RuntimeException e) {
          log.warn("handling {} '{}' failed: {}", n.getName(), n.getParameter(), e.toString());
        }
      }
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    open = false;
    Thread l;
    synchronized (this) {
      l = listening;
    }
    if (l != null) {
      try {
        l.join(LISTEN_WAIT.multipliedBy(4));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    super.close();
  }
}
