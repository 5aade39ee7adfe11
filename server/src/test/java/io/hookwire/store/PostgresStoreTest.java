package io.hookwire.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.core.Account;
import io.hookwire.core.EventType;
import io.hookwire.testing.PostgresDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract on PostgreSQL, plus what only PostgreSQL's row locking has to show. */
class PostgresStoreTest extends StoreContract {
  private String databaseUrl;

  @Override
  Store openStore(Path dataDir) {
    databaseUrl = PostgresDatabase.create();
    return PostgresStore.open(databaseUrl, 4);
  }

  @Override
  void dropStore() {
    String name = databaseUrl.replaceFirst("^jdbc:postgresql://[^/]*/([^?]*).*$", "$1");
    try (Connection c = DriverManager.getConnection(PostgresDatabase.adminUrl().orElseThrow());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the test database " + name, e);
    }
  }

  @Test
  void claimSkipsPayloadsAnotherClaimHoldsAndTakesTheNextOnes() throws Exception {
    Account account = account();
    webhook(account, EventType.newLead, "CRM");
    for (int i = 0; i < 10; i++) {
      publish(account, EventType.newLead, T0.plusMillis(i));
    }
    Instant now = T0.plusSeconds(1);

    try (Connection other = DriverManager.getConnection(databaseUrl)) {
      // Another node's claim, caught between locking its rows and committing.
      other.setAutoCommit(false);
      List<String> held = new ArrayList<>();
      try (Statement s = other.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT id FROM payload ORDER BY due_at, id LIMIT 4 FOR UPDATE")) {
        while (rs.next()) {
          held.add(rs.getString(1));
        }
      }

      List<Claim> claims =
          CompletableFuture.supplyAsync(() -> claim(4, now, now.plus(LEASE)))
              .get(30, TimeUnit.SECONDS);

      assertThat(claims).hasSize(4).extracting(Claim::payloadId).doesNotContainAnyElementsOf(held);
      other.rollback();
    }
    assertThat(claimAll(now)).hasSize(6);
  }
}
