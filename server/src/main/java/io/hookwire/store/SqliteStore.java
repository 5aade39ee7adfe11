package io.hookwire.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded store: one SQLite file in the data directory, in WAL mode. SQLite has one writer at
 * a time, so the claim needs no row locks; transactions begin IMMEDIATE so that two writers queue
 * on the busy timeout instead of failing.
 */
public final class SqliteStore extends SqlStore {
  public static final String FILE_NAME = "hookwire.db";

  private SqliteStore(HikariDataSource dataSource) {
    super(dataSource);
  }

  public static SqliteStore open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create the data directory " + dataDir, e);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath());
    config.setPoolName("hookwire-sqlite");
    // Readers run beside the one writer in WAL mode; more connections only queue on the lock.
    config.setMaximumPoolSize(8);
    config.addDataSourceProperty("journal_mode", "WAL");
    // FULL: a commit is on disk before the API answers, power loss included.
    config.addDataSourceProperty("synchronous", "FULL");
    config.addDataSourceProperty("busy_timeout", "30000");
    config.addDataSourceProperty("foreign_keys", "true");
    config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    HikariDataSource dataSource = new HikariDataSource(config);
    migrate(dataSource);
    return new SqliteStore(dataSource);
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

  @Override
  List<List<String>> leaseDue(
      Handle h,
      int limit,
      int requestsPerWebhook,
      Collection<String> busy,
      long nowMs,
      long leaseUntilMs) {
    return lease(
        h,
        "WITH "
            + DUE
            + """

            UPDATE payload SET state = 'in_flight', due_at = :lease, attempts = attempts + 1
            WHERE (account_id, id) IN (SELECT account_id, id FROM capped)
            RETURNING account_id, id""",
        limit,
        requestsPerWebhook,
        busy,
        nowMs,
        leaseUntilMs);
  }
}
