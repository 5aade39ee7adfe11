package io.hookwire.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.WeakHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded store: one SQLite file in the data directory, in WAL mode. SQLite has one writer at
 * a time, so the claim needs no row locks; transactions begin IMMEDIATE so that two writers queue
 * on the busy timeout instead of failing.
 */
public final class SqliteStore extends SqlStore {
  public static final String FILE_NAME = "hookwire.db";

  /** Connections that have {@link UnicodeLower}: each gets it once, on its first use. */
  private final Set<SQLiteConnection> withUnicodeLower =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private SqliteStore(HikariDataSource dataSource) {
    super(dataSource);
    jdbi.installPlugin(
        new JdbiPlugin() {
          @Override
          public Handle customizeHandle(Handle handle) throws SQLException {
            SQLiteConnection connection = handle.getConnection().unwrap(SQLiteConnection.class);
            if (withUnicodeLower.add(connection)) {
              Function.create(
                  connection, "lower", new UnicodeLower(), 1, Function.FLAG_DETERMINISTIC);
            }
            return handle;
          }
        });
  }

  /**
   * SQLite's own LOWER folds ASCII only, so a name filter for "Ärger" would not even find "Ärger";
   * this one folds as Java and PostgreSQL do, so both stores filter and sort alike.
   */
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
