package io.hookwire.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for each caller, on the server named by {@code
 * HOOKWIRE_TEST_POSTGRES_URL} (a JDBC URL of a role that may create databases, e.g. {@code
 * jdbc:postgresql://127.0.0.1:5432/postgres?user=hookwire&password=hookwire}).
 *
 * <p>Without it, PostgreSQL tests are skipped and say why; with {@code
 * HOOKWIRE_TEST_REQUIRE_POSTGRES=true} (CI sets it) they fail instead, so CI can never pass with
 * them skipped.
 */
public final class PostgresDatabase {
  public static final String URL_VARIABLE = "HOOKWIRE_TEST_POSTGRES_URL";

  private PostgresDatabase() {}

  public static Optional<String> adminUrl() {
    return Optional.ofNullable(System.getenv(URL_VARIABLE)).filter(u -> !u.isBlank());
  }

  /** Skips the calling test, or fails it when PostgreSQL is required, if there is no server. */
  public static void assumeAvailable() {
    boolean required = Boolean.parseBoolean(System.getenv("HOOKWIRE_TEST_REQUIRE_POSTGRES"));
    if (adminUrl().isEmpty() && required) {
      throw new IllegalStateException(
          URL_VARIABLE + " is not set but HOOKWIRE_TEST_REQUIRE_POSTGRES=true");
    }
    assumeTrue(
        adminUrl().isPresent(),
        "PostgreSQL tests skipped: set " + URL_VARIABLE + " to run them (.ci/run does)");
  }

  /** Creates a new, empty database and returns its JDBC URL. */
  public static String create() {
    assumeAvailable();
    String admin = adminUrl().orElseThrow();
    String name = "hookwire_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(admin);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name.toLowerCase(Locale.ROOT));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database on " + admin, e);
    }
    return withDatabase(admin, name);
  }

  /** The admin URL with its database name replaced. */
  static String withDatabase(String url, String database) {
    int slash = url.indexOf('/', "jdbc:postgresql://".length());
    int query = url.indexOf('?', slash);
    return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
  }
}
