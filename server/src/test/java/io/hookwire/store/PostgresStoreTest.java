package io.hookwire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.core.Account;
import io.hookwire.core.Claim;
import io.hookwire.core.EventType;
import io.hookwire.core.PayloadState;
import io.hookwire.core.WebhookRow;
import io.hookwire.testing.PostgresDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  void aPublishRacingAnEnableDoesNotLeaveItsPayloadHeld() throws Exception {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM", false, Optional.empty());
    publish(account, EventType.newLead, T0); // held, and the subscription cache says disabled

    try (Connection enabling = DriverManager.getConnection(databaseUrl)) {
      // An enable in progress, as updateWebhook does it: publishes to the webhook excluded, the
      // webhook enabled, what is held released, then the commit.
      enabling.setAutoCommit(false);
      try (Statement s = enabling.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(hashtext('" + id(hook) + "'))");
        s.execute("UPDATE webhook SET is_enabled = 1 WHERE id = '" + id(hook) + "'");
        s.execute(
            "UPDATE payload SET state = 'pending', attempts = 0, due_at = created"
                + " WHERE webhook_id = '"
                + id(hook)
                + "' AND state = 'held'");
      }
      CompletableFuture<?> racing =
          CompletableFuture.runAsync(
              () -> publish(account, EventType.newLead, T0.plusSeconds(1)),
              Thread::startVirtualThread);
      // The publish waits for the enable rather than deciding "held" beside it.
      assertThat(racing).isNotDone();
      enabling.commit();
      racing.get(30, TimeUnit.SECONDS);
    }

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.held)).isZero();
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.pending)).isEqualTo(2);
  }

  @Test
  void aDeadlockIsBusyNotBroken() throws Exception {
    Account account = account();
    WebhookRow a = webhook(account, EventType.newLead, "A");
    WebhookRow b = webhook(account, EventType.newLead, "B");
    try (Connection first = DriverManager.getConnection(databaseUrl);
        Connection second = DriverManager.getConnection(databaseUrl)) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      lock(first, a);
      lock(second, b);
      // Each waits for the other's row: PostgreSQL breaks the cycle by failing one of them.
      CompletableFuture<Throwable> one =
          CompletableFuture.supplyAsync(
              () -> failure(() -> lockOrRollBack(first, b)), Thread::startVirtualThread);
      Throwable other = failure(() -> lockOrRollBack(second, a));
      Throwable deadlocked = other != null ? other : one.get(30, TimeUnit.SECONDS);

      assertThat(((SQLException) deadlocked).getSQLState()).isEqualTo("40P01");
      assertThat(store.isBusy(new IllegalStateException("wrapped", deadlocked))).isTrue();
    }
  }

  @Test
  void aSerializationFailureIsBusyNotBroken() throws Exception {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    try (Connection reader = DriverManager.getConnection(databaseUrl);
        Connection writer = DriverManager.getConnection(databaseUrl)) {
      reader.setAutoCommit(false);
      reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement s = reader.createStatement()) {
        s.execute("SELECT name FROM webhook WHERE id = '" + id(hook) + "'");
      }
      try (Statement s = writer.createStatement()) {
        s.execute("UPDATE webhook SET name = 'changed' WHERE id = '" + id(hook) + "'");
      }
      // The snapshot's row was changed since: this transaction cannot go on as if it was not.
      Throwable refused =
          failure(
              () -> {
                try (Statement s = reader.createStatement()) {
                  s.execute("UPDATE webhook SET name = 'mine' WHERE id = '" + id(hook) + "'");
                }
              });

      assertThat(((SQLException) refused).getSQLState()).isEqualTo("40001");
      assertThat(store.isBusy(refused)).isTrue();
    }
  }

  @Test
  void tooManyConnectionsIsBusyNotBroken() throws Exception {
    String role = "hookwire_limited_" + Long.toHexString(System.nanoTime());
    try (Connection admin = DriverManager.getConnection(databaseUrl);
        Statement s = admin.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'limited' CONNECTION LIMIT 1");
      String url =
          databaseUrl
              .replaceAll("user=[^&]*", "user=" + role)
              .replaceAll("password=[^&]*", "password=limited");
      try (Connection only = DriverManager.getConnection(url)) {
        Throwable refused = failure(() -> DriverManager.getConnection(url).close());

        assertThat(((SQLException) refused).getSQLState()).isEqualTo("53300");
        assertThat(store.isBusy(refused)).isTrue();
      } finally {
        s.execute("DROP ROLE " + role);
      }
    }
  }

  private static void lock(Connection c, WebhookRow row) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT 1 FROM webhook WHERE id = '" + id(row) + "' FOR UPDATE");
    }
  }

  /** The victim of a deadlock keeps its locks until it rolls back: it does, at once. */
  private static void lockOrRollBack(Connection c, WebhookRow row) throws SQLException {
    try {
      lock(c, row);
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  private interface Sql {
    void run() throws SQLException;
  }

  /** What {@code sql} failed with, or null. */
  private static Throwable failure(Sql sql) {
    try {
      sql.run();
      return null;
    } catch (SQLException e) {
      return e;
    }
  }

  @Test
  void aSilentNodesLeasesAreReleasedForAnotherNodeAndALiveNodesAreNot() {
    Account account = account();
    webhook(account, EventType.newLead, "CRM");
    for (int i = 0; i < 3; i++) {
      publish(account, EventType.newLead, T0);
    }
    try (Store other = PostgresStore.open(databaseUrl, 2)) {
      store.joinAsNode("a", T0);
      other.joinAsNode("b", T0);
      assertThat(claim(10, T0, T0.plus(LEASE))).hasSize(3); // leased by node a

      // a beats at 5 s: at 7 s it is alive, though its leases run to 60 s.
      store.heartbeat(T0.plusSeconds(5));
      other.heartbeat(T0.plusSeconds(5));
      assertThat(other.releaseSilentNodes(T0.plusSeconds(7), Duration.ofSeconds(6))).isZero();
      assertThat(other.claim(10, 1000, List.of(), T0.plusSeconds(7), T0.plus(LEASE))).isEmpty();

      // a falls silent: at 12 s, b releases its leases and claims them at once.
      other.heartbeat(T0.plusSeconds(10));
      assertThat(other.releaseSilentNodes(T0.plusSeconds(12), Duration.ofSeconds(6))).isEqualTo(3);
      assertThat(other.claim(10, 1000, List.of(), T0.plusSeconds(12), T0.plus(LEASE)))
          .hasSize(3)
          .allSatisfy(c -> assertThat(c.attempt()).isEqualTo(2));
      // Released once: a silent node is forgotten.
      assertThat(other.releaseSilentNodes(T0.plusSeconds(20), Duration.ofSeconds(6))).isZero();
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

  @Test
  void updateOfOtherFieldsDoesNotUndoADisableCommittedMeanwhile() throws Exception {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");

    try (Connection other = DriverManager.getConnection(databaseUrl)) {
      // Another request's disable, between its UPDATE and its commit.
      other.setAutoCommit(false);
      execute(other, "UPDATE webhook SET is_enabled = 0 WHERE id = '" + id(hook) + "'");

      CompletableFuture<Optional<WebhookRow>> rename =
          CompletableFuture.supplyAsync(
              () ->
                  store.updateWebhook(
                      account.id(), id(hook), changes().name("Sales CRM").build(), T0));
      awaitBlockedOrDone(rename);
      other.commit();

      WebhookRow renamed = rename.get(30, TimeUnit.SECONDS).orElseThrow();
      assertThat(renamed.webhook().name()).isEqualTo("Sales CRM");
      assertThat(renamed.webhook().enabled()).isFalse();
    }
    assertThat(store.findWebhook(account.id(), id(hook)).orElseThrow().webhook().enabled())
        .isFalse();
  }

  @Test
  void resendWaitsForAnEnableCommittingMeanwhileAndQueuesThePayloads() throws Exception {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    store.record(List.of(attempt(claimAll(T0).get(0), "failed", T0.plusSeconds(1))));
    store.updateWebhook(account.id(), id(hook), enabled(false), T0.plusSeconds(2));

    try (Connection other = DriverManager.getConnection(databaseUrl)) {
      // Another request's enable, between its UPDATE and its commit.
      other.setAutoCommit(false);
      execute(other, "UPDATE webhook SET is_enabled = 1 WHERE id = '" + id(hook) + "'");

      CompletableFuture<Integer> resend =
          CompletableFuture.supplyAsync(
              () -> store.resend(account.id(), id(hook), Optional.empty(), T0.plusSeconds(3)));
      awaitBlockedOrDone(resend);
      other.commit();

      assertThat(resend.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    }
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.held)).isZero();
    assertThat(claimAll(T0.plusSeconds(3))).hasSize(1);
  }

  @Test
  void recordLooksEachPayloadUpByItsPrimaryKeyWhateverTheStatisticsSay() throws Exception {
    // Statistics taken while every payload was delivered make payload_queue, the partial index of
    // queued payloads, look empty. With the state in the recorder's WHERE, PostgreSQL planned each
    // attempt's update as a scan of that whole index once 40,000 payloads were queued: 5 ms an
    // attempt, and deliveries to one webhook fell from thousands a second to 400.
    try (Connection c = DriverManager.getConnection(databaseUrl);
        Statement s = c.createStatement()) {
      s.execute(payloads("delivered", 20_000));
      s.execute("ANALYZE payload");
      s.execute(payloads("in_flight", 20_000));
      // What the driver's prepared statement is given after its first executions.
      s.execute("SET plan_cache_mode = force_generic_plan");
      s.execute("PREPARE set_state AS " + numbered(SqlStore.SET_STATE));

      StringBuilder plan = new StringBuilder();
      try (ResultSet rs =
          s.executeQuery(
              """
              EXPLAIN (FORMAT JSON) EXECUTE set_state(1, 'delivered', 'delivered', 'delivered',
                1, 'delivered', 0, 'account', 'in_flight-1')""")) {
        while (rs.next()) {
          plan.append(rs.getString(1));
        }
      }

      assertThat(plan.toString())
          .contains("\"Index Name\": \"payload_pkey\"")
          .doesNotContain("payload_queue");
    }
  }

  /** Inserts {@code count} payloads in {@code state}, ids {@code <state>-1…}. */
  private static String payloads(String state, int count) {
    return """
        INSERT INTO payload (account_id, id, webhook_id, event_id, state, attempts, due_at,
          created)
        SELECT 'account', '%s-' || n, 'webhook', 'event', '%s', 1, n, n
        FROM generate_series(1, %d) n"""
        .formatted(state, state, count);
  }

  /** JDBC's {@code ?} parameters as PostgreSQL's {@code $1, $2, …}, for PREPARE. */
  private static String numbered(String sql) {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (char ch : sql.toCharArray()) {
      if (ch == '?') {
        out.append('$').append(++n);
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Waits until {@code call} finishes or waits on a row lock in this test's database. */
  private void awaitBlockedOrDone(CompletableFuture<?> call) throws SQLException {
    try (Connection watcher = DriverManager.getConnection(databaseUrl)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                if (call.isDone()) {
                  return true;
                }
                try (Statement s = watcher.createStatement();
                    ResultSet rs =
                        s.executeQuery(
                            """
                            SELECT COUNT(*) FROM pg_stat_activity
                            WHERE datname = current_database() AND wait_event_type = 'Lock'""")) {
                  rs.next();
                  return rs.getInt(1) > 0;
                }
              });
    }
  }
}
