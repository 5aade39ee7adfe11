package io.hookwire.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
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

  private SqliteStore(HikariDataSource dataSource) {
    super(dataSource);
  }

  public static SqliteStore open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
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
    connections.setUrl("jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath());

    HikariConfig config = new HikariConfig();
    config.setDataSource(connections);
    config.setPoolName("hookwire-sqlite");
    // Readers run beside the one writer in WAL mode; more connections only queue on the lock.
    config.setMaximumPoolSize(8);
    HikariDataSource dataSource = new HikariDataSource(config);
    migrate(dataSource);
    return new SqliteStore(dataSource);
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
  String lockRow() {
    return "";
  }

  @Override
  String lockSkippingLocked() {
    return "";
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
