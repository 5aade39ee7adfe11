package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.payloadIdsByNumber;
import static io.hookwire.delivery.Deliveries.publishNumbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.core.PayloadState;
import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Answer;
import io.hookwire.testing.ServerProcess;
import io.hookwire.testing.ServerProcess.Credentials;
import io.hookwire.testing.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * At least once: a payload whose event was answered {@code Result: true} is never lost, even when
 * the server dies by SIGKILL in the middle of delivering, with requests on the wire and attempts
 * not yet recorded. The restarted server sends whatever is left, duplicates carrying the same
 * payload id.
 */
class CrashRecoveryTest {
  static final int EVENTS = 300;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void everyPayloadIsDeliveredAfterTheServerIsKilledMidDelivery(StoreKind kind) {
    Optional<String> database = kind.freshDatabaseUrl();
    Path dataDir = dir.resolve("data");
    Credentials account = ServerProcess.createAccount(database, dataDir);
    Map<String, String> env = Map.of("HOOKWIRE_MASTER_KEY", ServerProcess.newMasterKey());
    List<String> args = serveArguments(dataDir, database);

    Deliveries.Hook hook;
    try (RecordingReceiver receiver = new RecordingReceiver()) {
      // Slowish, so the kill lands with most of the work still to do.
      receiver.answerByDefault(Answer.after(Duration.ofMillis(50), 200));
      try (ServerProcess server = ServerProcess.start(env, dir.resolve("before-crash.log"), args)) {
        ApiClient api = server.api(account);
        hook = createWebhook(api, receiver.url("/hook"));
        publishNumbered(api, EVENTS);
        await().atMost(Duration.ofSeconds(60)).until(() -> distinctReceived(receiver) >= 50);

        server.kill();
      }
      assertThat(distinctReceived(receiver)).isLessThan(EVENTS);
      // The kill caught payloads leased and on their way: only their lease brings them back.
      try (Store store = Stores.open(database, dataDir, 2)) {
        assertThat(store.countPayloads(account.accountId(), hook.id(), PayloadState.in_flight))
            .isPositive();
      }

      try (ServerProcess restarted =
          ServerProcess.start(env, dir.resolve("after-crash.log"), args)) {
        await().atMost(Duration.ofSeconds(120)).until(() -> distinctReceived(receiver) == EVENTS);
      }
      assertEveryEventArrivedUnderOnePayloadId(receiver);
      // Sent twice only if the kill took its outcome: on the wire (4 requests at most) or answered
      // and not yet recorded (each of the 4 workers finishes at most one more within a commit).
      assertThat(receiver.received().size() - EVENTS).isLessThanOrEqualTo(2 * 4);
    }
  }

  /** {@code hookwire serve} arguments: retries, timeout and lease shrunk to test size. */
  static List<String> serveArguments(Path dataDir, Optional<String> database) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--data-dir", dataDir.toString()));
    database.ifPresent(url -> args.addAll(List.of("--database-url", url)));
    args.addAll(
        List.of(
            "--allow-private-targets",
            "--retry-schedule",
            "100ms,200ms,400ms",
            "--delivery-timeout",
            "1s",
            "--lease",
            "3s",
            "--concurrency-per-webhook",
            "4",
            "--database-pool-size",
            "4",
            "--rate-limit",
            "0"));
    return args;
  }

  static int distinctReceived(RecordingReceiver receiver) {
    return payloadIdsByNumber(receiver.received()).size();
  }

  static void assertEveryEventArrivedUnderOnePayloadId(RecordingReceiver receiver) {
    Map<Integer, List<String>> ids = payloadIdsByNumber(receiver.received());
    assertThat(ids.keySet()).hasSize(EVENTS);
    ids.forEach(
        (n, sent) -> assertThat(new HashSet<>(sent)).as("payload ids carrying n=" + n).hasSize(1));
    assertThat(ids.values().stream().map(sent -> sent.get(0)).distinct().count()).isEqualTo(EVENTS);
  }
}
