package io.hookwire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hookwire.core.Account;
import io.hookwire.core.EventType;
import io.hookwire.testing.StoreKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class SqliteStoreTest extends StoreContract {
  @Override
  Store openStore(Path dataDir) {
    return StoreKind.SQLITE.open(dataDir);
  }

  @Test
  void aNodeJoiningReleasesWhatThePreviousRunLeasedThoughItsLeasesRunOn() {
    Account account = account();
    webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    store.joinAsNode("first run", T0);
    assertThat(claim(10, T0, T0.plus(LEASE))).hasSize(1);
    store.close();

    store = openStore(dataDir);
    store.joinAsNode("second run", T0.plusSeconds(2));

    assertThat(claim(10, T0.plusSeconds(2), T0.plusSeconds(62))).hasSize(1);
  }

  // The API answers 503 with Retry-After, not 500, when SQLite's one write lock is not to be had:
  // this is the error SQLite gives then, and the store must recognize it.
  @Test
  void aWriterThatCannotGetTheWriteLockIsBusyNotBroken() throws Exception {
    String url = "jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME);
    try (Connection holder = DriverManager.getConnection(url);
        Connection waiter = DriverManager.getConnection(url);
        Statement holding = holder.createStatement();
        Statement waiting = waiter.createStatement()) {
      holding.execute("BEGIN IMMEDIATE");
      waiting.execute("PRAGMA busy_timeout = 0");
      Throwable refused = catchThrowable(() -> waiting.execute("BEGIN IMMEDIATE"));
      holding.execute("ROLLBACK");

      assertThat(refused).isNotNull();
      assertThat(store.isBusy(new IllegalStateException("wrapped", refused))).isTrue();
    }
    assertThat(store.isBusy(new IllegalStateException("a bug"))).isFalse();
  }
}
