package io.hookwire.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.jdbi.v3.core.Handle;

/**
 * One statement executed for many rows, bound by position straight on JDBC. For the statements that
 * run once per event, payload or attempt (publish, record): JDBI looks up an argument factory for
 * every value it binds, which took a fifth of the publishing writer's time in the ingest profile
 * (docs/performance.md). Statements that run once per request stay on JDBI.
 */
final class JdbcBatch implements AutoCloseable {
  private final PreparedStatement statement;
  private int column;
  private int rows;

  /** A failed batch, as JDBI would report it: unchecked, with the driver's exception as cause. */
  static final class Failed extends RuntimeException {
    Failed(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** A step of JDBC, whose checked exception becomes {@link Failed}. */
  private interface Jdbc {
    void run() throws SQLException;
  }

  private static void unchecked(Jdbc step) {
    try {
      step.run();
    } catch (SQLException e) {
      throw new Failed(e);
    }
  }

  private JdbcBatch(PreparedStatement statement) {
    this.statement = statement;
  }

  /** A batch on the handle's connection, inside its transaction. */
  static JdbcBatch of(Handle h, String sql) {
    try {
      return new JdbcBatch(h.getConnection().prepareStatement(sql));
    } catch (SQLException e) {
      throw new Failed(e);
    }
  }

  JdbcBatch text(String value) {
    int at = ++column;
    unchecked(
        () -> {
          if (value == null) {
            statement.setNull(at, Types.VARCHAR);
          } else {
            statement.setString(at, value);
          }
        });
    return this;
  }

  JdbcBatch number(long value) {
    int at = ++column;
    unchecked(() -> statement.setLong(at, value));
    return this;
  }

  /** A number, or SQL NULL. */
  JdbcBatch nullableNumber(Long value) {
    int at = ++column;
    unchecked(
        () -> {
          if (value == null) {
            statement.setNull(at, Types.BIGINT);
          } else {
            statement.setLong(at, value);
          }
        });
    return this;
  }

  /** Ends the row bound since the last one. */
  void add() {
    unchecked(statement::addBatch);
    column = 0;
    rows++;
  }

  /** Runs every row added, if any. */
  void execute() {
    if (rows > 0) {
      unchecked(statement::executeBatch);
      rows = 0;
    }
  }

  @Override
  public void close() {
    unchecked(statement::close);
  }
}
