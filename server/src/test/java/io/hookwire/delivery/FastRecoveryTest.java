package io.hookwire.delivery;

import static io.hookwire.delivery.CrashRecoveryTest.EVENTS;
import static io.hookwire.delivery.CrashRecoveryTest.assertEveryEventArrivedUnderOnePayloadId;
import static io.hookwire.delivery.CrashRecoveryTest.distinctReceived;
import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.publishNumbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.core.PayloadState;
import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.PostgresDatabase;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Answer;
import io.hookwire.testing.ServerProcess;
import io.hookwire.testing.ServerProcess.Credentials;
import io.hookwire.testing.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a kill -9, what the dead node had leased is sent again within seconds, not when its leases
 * run out (over a minute by default, the lease these servers keep): with SQLite the restarted
 * process releases its previous run's leases as it starts; with PostgreSQL another node sees the
 * dead node's heartbeat stop and releases them.
 */
class FastRecoveryTest {
  /** The target: everything resumes within 10 s. */
  private static final Duration RESUMED_WITHIN = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void aRestartedSqliteServerSendsWhatItsPreviousRunHeldAtOnce() {
    Path dataDir = dir.resolve("data");
    Credentials account = ServerProcess.createAccount(Optional.empty(), dataDir);
    Map<String, String> env = Map.of("HOOKWIRE_MASTER_KEY", ServerProcess.newMasterKey());
    List<String> args = arguments(dataDir, Optional.empty());

    try (RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.answerByDefault(Answer.after(Duration.ofMillis(50), 200));
      Deliveries.Hook hook;
      try (ServerProcess server = ServerProcess.start(env, dir.resolve("first.log"), args)) {
        ApiClient api = server.api(account);
        hook = createWebhook(api, receiver.url("/hook"));
        publishNumbered(api, EVENTS);
        await().atMost(Duration.ofSeconds(60)).until(() -> distinctReceived(receiver) >= 50);
        server.kill();
      }
      assertLeasesOutstanding(Optional.empty(), dataDir, account, hook);

      try (ServerProcess restarted = ServerProcess.start(env, dir.resolve("second.log"), args)) {
        await().atMost(RESUMED_WITHIN).until(() -> distinctReceived(receiver) == EVENTS);
      }
      assertEveryEventArrivedUnderOnePayloadId(receiver);
    }
  }

  @Test
  void aPostgresqlNodeSendsWhatAKilledNodeHeldOnceItsHeartbeatStops() {
    PostgresDatabase.assumeAvailable();
    Optional<String> database = StoreKind.POSTGRES.freshDatabaseUrl();
    Credentials account = ServerProcess.createAccount(database, dir.resolve("a"));
    Map<String, String> env = Map.of("HOOKWIRE_MASTER_KEY", ServerProcess.newMasterKey());

    try (RecordingReceiver receiver = new RecordingReceiver();
        ServerProcess survivor =
            ServerProcess.start(
                env, dir.resolve("survivor.log"), arguments(dir.resolve("b"), database))) {
      receiver.answerByDefault(Answer.after(Duration.ofMillis(50), 200));
      Deliveries.Hook hook;
      try (ServerProcess doomed =
          ServerProcess.start(
              env, dir.resolve("doomed.log"), arguments(dir.resolve("a"), database))) {
        ApiClient api = doomed.api(account);
        hook = createWebhook(api, receiver.url("/hook"));
        // Published to the doomed node: it leases them as it stores them.
        publishNumbered(api, EVENTS);
        await().atMost(Duration.ofSeconds(60)).until(() -> distinctReceived(receiver) >= 50);
        doomed.kill();
      }
      assertLeasesOutstanding(database, dir.resolve("a"), account, hook);

      await().atMost(RESUMED_WITHIN).until(() -> distinctReceived(receiver) == EVENTS);
      assertEveryEventArrivedUnderOnePayloadId(receiver);
    }
  }

  private static void assertLeasesOutstanding(
      Optional<String> database, Path dataDir, Credentials account, Deliveries.Hook hook) {
    try (Store store = Stores.open(database, dataDir, 2)) {
      assertThat(store.countPayloads(account.accountId(), hook.id(), PayloadState.in_flight))
          .as("payloads the kill caught leased")
          .isPositive();
    }
  }

  /**
   * As CrashRecoveryTest's, with the default lease: only the heartbeat can bring them back soon.
   */
  private static List<String> arguments(Path dataDir, Optional<String> database) {
    List<String> args = new ArrayList<>(CrashRecoveryTest.serveArguments(dataDir, database));
    int lease = args.indexOf("--lease");
    args.remove(lease + 1);
    args.remove(lease);
    return args;
  }
}
