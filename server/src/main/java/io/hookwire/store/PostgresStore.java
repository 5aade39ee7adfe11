package io.hookwire.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;

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
  boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
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
            ,
            locked AS (
              -- Rechecked under the lock: another node may have leased the row meanwhile.
              SELECT p.account_id, p.id FROM payload p
              JOIN capped c ON c.account_id = p.account_id AND c.id = p.id
              WHERE p.state IN ('pending', 'in_flight') AND p.due_at <= :now
              FOR UPDATE OF p SKIP LOCKED
            )
            UPDATE payload p SET state = 'in_flight', due_at = :lease, attempts = p.attempts + 1
            FROM locked l WHERE p.account_id = l.account_id AND p.id = l.id
            RETURNING p.account_id, p.id""",
        limit,
        requestsPerWebhook,
        busy,
        nowMs,
        leaseUntilMs);
  }
}
