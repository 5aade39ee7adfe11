package io.hookwire.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.List;

/**
 * The production store. Any number of nodes share one database: the claim locks the rows it leases
 * with {@code FOR UPDATE SKIP LOCKED}, so nodes never wait on each other or take the same payload
 * while its lease lasts.
 */
public final class PostgresStore extends SqlStore {

  private PostgresStore(HikariDataSource dataSource) {
    super(dataSource);
  }

  /**
   * @param jdbcUrl {@code jdbc:postgresql://host/db?user=...&password=...}
   */
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
    return new PostgresStore(dataSource);
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
  String lockRow() {
    return "FOR UPDATE";
  }

  @Override
  String lockSkippingLocked() {
    // Locked while the claim's scan reads them: another node claiming at the same moment passes
    // over them (never waits) and leases the next due payloads instead.
    return "FOR UPDATE OF p SKIP LOCKED";
  }
}
