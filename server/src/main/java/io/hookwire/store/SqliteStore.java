package io.hookwire.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hookwire.core.Claim;
import io.hookwire.core.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.Function;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded store: one SQLite file in the data directory, in WAL mode. SQLite has one writer at
 * a time, so the claim needs no row locks; transactions begin IMMEDIATE so that two writers queue
 * on the busy timeout instead of failing.
 */
public final class SqliteStore extends SqlStore {
  public static final String FILE_NAME = "hookwire.db";
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  private SqliteStore(HikariDataSource dataSource) {
    super(dataSource);
  }

  public static SqliteStore open(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      PrivateFiles.directory(dataDir);
      // SQLite gives the -wal and -shm files the database file's permissions when it makes them.
      for (Path f : List.of(file, sibling(file, "-wal"), sibling(file, "-shm"))) {
        if ((f == file || Files.exists(f)) && PrivateFiles.file(f)) {
          log.info("{} was readable by other users: now 0600", f);
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create the data directory " + dataDir, e);
    }
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL: a commit is on disk before the API answers, power loss included.
    sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    sqlite.setBusyTimeout(30_000);
    sqlite.enforceForeignKeys(true);
    sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource connections = new UnicodeLowerDataSource(sqlite);
    connections.setUrl("jdbc:sqlite:" + file.toAbsolutePath());

    HikariConfig config = new HikariConfig();
    config.setDataSource(connections);
    config.setPoolName("hookwire-sqlite");
    // Readers run beside the one writer in WAL mode; more connections only queue on the lock.
    config.setMaximumPoolSize(8);
    HikariDataSource dataSource = new HikariDataSource(config);
    migrate(dataSource);
    return new SqliteStore(dataSource);
  }

  /**
   * One process is the only node on a SQLite store: what it finds leased at start was leased by its
   * previous run, which died or was stopped, so it is due now rather than when the lease ends.
   */
  @Override
  void forgetPreviousRun(Handle h, long nowMs) {
    int released =
        h.createUpdate(
                "UPDATE payload SET due_at = :now WHERE state = 'in_flight' AND due_at > :now")
            .bind("now", nowMs)
            .execute();
    h.execute("DELETE FROM node");
    if (released > 0) {
      log.info("{} payloads leased by the previous run are due again now", released);
    }
  }

  /** {@code VACUUM INTO}: one read transaction, so writers go on and the copy is consistent. */
  @Override
  public void backupTo(Path file) {
    if (Files.exists(file)) {
      throw new IllegalArgumentException(file + " exists: choose a new file for the backup");
    }
    try {
      // Created empty and 0600 first: SQLite writes into it and keeps its permissions.
      PrivateFiles.file(file);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create " + file, e);
    }
    jdbi.useHandle(h -> h.execute("VACUUM INTO ?", file.toAbsolutePath().toString()));
  }

  private static Path sibling(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  @Override
  boolean isDialectBusy(Throwable e) {
    // The write lock was not free within busy_timeout.
    return e instanceof SQLiteException s
        && (s.getResultCode() == SQLiteErrorCode.SQLITE_BUSY
            || s.getResultCode() == SQLiteErrorCode.SQLITE_BUSY_RECOVERY
            || s.getResultCode() == SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT
            || s.getResultCode() == SQLiteErrorCode.SQLITE_LOCKED);
  }

  @Override
  boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException s
          && s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE) {
        return true;
      }
    }
    return false;
  }

  // The IMMEDIATE transaction already holds the database's one write lock: nothing else can
  // change a row under us, and no other claim runs beside ours.

  @Override
  boolean hasOneWriter() {
    return true;
  }

  @Override
  String lockRow() {
    return "";
  }

  /** One writer at a time: a publish and an enable never overlap. */
  @Override
  void sharePublishLock(Handle h, String webhookId) {}

  @Override
  void excludePublishes(Handle h, String webhookId) {}

  @Override
  void commitWithoutFlush(Handle h) {
    // synchronous is a setting of the connection, not of one transaction: every commit is FULL.
  }

  @Override
  void notify(Handle h, String channel, String payload) {
    // One process owns the file: its dispatcher is told directly.
  }

  /** A due payload chosen by the claim, before it is leased. */
  private record Due(long rowid, long dueAt, String payloadId) {}

  /**
   * Chooses the due payloads, leases them by rowid, then reads what sending needs for those alone.
   * The write lock the transaction holds makes the statements one step. Choosing reads only the
   * payload rows: with 100 webhooks due, up to {@code cap} candidates of each are read to lease
   * {@code limit}, and joining each candidate's event (its data) before choosing read a hundred
   * times what was leased. SQLite's LIMIT cannot name an outer column, so each webhook's cap
   * ({@code requests × batch size}) is bound once per batch size in use.
   */
  @Override
  List<Claim> lease(
      Handle h,
      int limit,
      int requestsPerWebhook,
      List<String> excluded,
      long nowMs,
      Instant leaseUntil) {
    List<Integer> batchSizes =
        h.createQuery("SELECT DISTINCT batch_size FROM webhook WHERE is_enabled = 1")
            .mapTo(Integer.class)
            .list();
    List<Due> due = new ArrayList<>();
    for (int batchSize : batchSizes) {
      due.addAll(
          h.createQuery(
                  """
                  SELECT l.rowid AS leased_rowid, l.due_at AS was_due, l.id
                  FROM webhook w
                  -- Each webhook's oldest due payloads, from its slice of payload_queue. CROSS:
                  -- SQLite then loops over the webhooks first instead of scanning every payload.
                  CROSS JOIN payload l ON l.rowid IN (
                    SELECT q.rowid FROM payload q
                    WHERE q.account_id = w.account_id AND q.webhook_id = w.id
                      AND q.state IN ('pending', 'in_flight') AND q.due_at <= :now
                    ORDER BY q.due_at
                    LIMIT :cap)
                  -- A lease that ran out while its webhook was disabled, or a publish that raced
                  -- a disable, leaves payloads due for a disabled webhook: they wait for the
                  -- enable.
                  WHERE w.is_enabled = 1 AND w.batch_size = :batchSize
                    AND w.id NOT IN (<excluded>)
                  ORDER BY l.due_at, l.id
                  LIMIT :limit""")
              .bindList("excluded", excluded)
              .bind("now", nowMs)
              .bind("cap", requestsPerWebhook * batchSize)
              .bind("batchSize", batchSize)
              .bind("limit", limit)
              .map(
                  (rs, ctx) ->
                      new Due(
                          rs.getLong("leased_rowid"), rs.getLong("was_due"), rs.getString("id")))
              .list());
    }
    List<Long> leased =
        due.stream()
            .sorted(Comparator.comparingLong(Due::dueAt).thenComparing(Due::payloadId))
            .limit(limit)
            .map(Due::rowid)
            .toList();
    if (leased.isEmpty()) {
      return List.of();
    }
    h.createUpdate(
            """
            UPDATE payload SET state = 'in_flight', due_at = :lease, attempts = attempts + 1,
              leased_by = :node
            WHERE rowid IN (<rowids>)""")
        .bind("lease", leaseUntil.toEpochMilli())
        .bind("node", nodeId)
        .bindList("rowids", leased)
        .execute();
    Map<Long, Claim> byRowid =
        h
            .createQuery(
                """
                SELECT l.rowid AS leased_rowid, l.attempts, <columns>
                FROM payload l
                JOIN event e ON e.account_id = l.account_id AND e.id = l.event_id
                JOIN webhook w ON w.account_id = l.account_id AND w.id = l.webhook_id
                WHERE l.rowid IN (<rowids>)""")
            .define("columns", CLAIM_COLUMNS)
            .bindList("rowids", leased)
            .map((rs, ctx) -> Map.entry(rs.getLong("leased_rowid"), claimRow(rs, leaseUntil)))
            .list()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    // Oldest first, as chosen.
    return leased.stream().map(byRowid::get).filter(Objects::nonNull).toList();
  }

  /**
   * Connections whose {@code lower()} folds all of Unicode, as PostgreSQL's does: SQLite's own
   * folds ASCII only, so the webhook name filter ({@code LOWER(name) LIKE ...}) would miss
   * "Übersicht" when asked for "übersicht", or even for "Übersicht" (the pattern is folded in
   * Java).
   */
  private static final class UnicodeLowerDataSource extends SQLiteDataSource {
    UnicodeLowerDataSource(SQLiteConfig config) {
      super(config);
    }

    @Override
    public SQLiteConnection getConnection(String username, String password) throws SQLException {
      SQLiteConnection connection = super.getConnection(username, password);
      Function.create(connection, "lower", new UnicodeLower(), 1, Function.FLAG_DETERMINISTIC);
      return connection;
    }
  }

  private static final class UnicodeLower extends Function {
    @Override
    protected void xFunc() throws SQLException {
      String text = value_text(0);
      if (text == null) {
        result();
      } else {
        result(text.toLowerCase(Locale.ROOT));
      }
    }
  }
}
