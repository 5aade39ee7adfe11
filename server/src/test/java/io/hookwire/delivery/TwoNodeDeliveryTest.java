package io.hookwire.delivery;

import static io.hookwire.delivery.CrashRecoveryTest.EVENTS;
import static io.hookwire.delivery.CrashRecoveryTest.assertEveryEventArrivedUnderOnePayloadId;
import static io.hookwire.delivery.CrashRecoveryTest.distinctReceived;
import static io.hookwire.delivery.CrashRecoveryTest.serveArguments;
import static io.hookwire.delivery.Deliveries.createWebhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.testing.ApiClient;
import io.hookwire.testing.PostgresDatabase;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Answer;
import io.hookwire.testing.ServerProcess;
import io.hookwire.testing.ServerProcess.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-node on PostgreSQL: two {@code serve} processes on one database share the deliveries with
 * no leader (FOR UPDATE SKIP LOCKED and leases), and when one dies the other takes over its leased
 * payloads, losing none.
 */
class TwoNodeDeliveryTest {
  /** The dispatcher's debug line for each request a node made. */
  private static final Pattern SENT = Pattern.compile("payloads (\\S+): answered 200");

  @TempDir Path dir;

  @Test
  void twoNodesShareTheWorkAndLoseNothingWhenOneIsKilled() {
    Optional<String> database = Optional.of(PostgresDatabase.create());
    Credentials account = ServerProcess.createAccount(database, dir.resolve("setup"));
    // One master key for both: either node must open the secrets the other sealed.
    Map<String, String> env =
        Map.of("HOOKWIRE_MASTER_KEY", ServerProcess.newMasterKey(), "HOOKWIRE_LOG_LEVEL", "DEBUG");

    try (RecordingReceiver receiver = new RecordingReceiver();
        ServerProcess first =
            ServerProcess.launch(
                env, dir.resolve("first.log"), serveArguments(dir.resolve("first"), database));
        ServerProcess second =
            ServerProcess.launch(
                env, dir.resolve("second.log"), serveArguments(dir.resolve("second"), database))) {
      first.awaitListening();
      second.awaitListening();
      receiver.answerByDefault(Answer.after(Duration.ofMillis(50), 200));
      ApiClient viaFirst = first.api(account);
      ApiClient viaSecond = second.api(account);
      createWebhook(viaFirst, receiver.url("/hook"));
      // Either node takes events for the same account.
      Deliveries.publishNumbered(viaFirst, EVENTS / 2);
      publishNumberedFrom(viaSecond, EVENTS / 2, EVENTS);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !sent(first).isEmpty() && !sent(second).isEmpty());
      first.kill();
      Set<String> sentByFirst = sent(first);
      assertThat(distinctReceived(receiver)).isLessThan(EVENTS);

      await().atMost(Duration.ofSeconds(120)).until(() -> distinctReceived(receiver) == EVENTS);

      assertEveryEventArrivedUnderOnePayloadId(receiver);
      Set<String> received = new HashSet<>();
      receiver.received().forEach(r -> received.addAll(Deliveries.payloadIds(r)));
      // Each payload was answered 200 at one node or the other: the killed node's unfinished
      // requests went out again from the survivor.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Set<String> answered = new HashSet<>(sentByFirst);
                answered.addAll(sent(second));
                assertThat(answered).containsAll(received);
              });
      assertThat(sentByFirst).isNotEmpty();
      assertThat(sent(second)).isNotEmpty();
    }
  }

  private static void publishNumberedFrom(ApiClient api, int from, int to) {
    StringBuilder events = new StringBuilder("[");
    for (int n = from; n < to; n++) {
      events.append(n == from ? "" : ",").append("{\"event\":\"newLead\",\"data\":{\"n\":");
      events.append(n).append("}}");
    }
    ApiClient.Answer answer = api.postJson("/v2/events", events.append(']').toString());
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
  }

  /** Payload ids a node logged as sent and answered 200. */
  private static Set<String> sent(ServerProcess node) {
    Set<String> ids = new HashSet<>();
    Matcher m = SENT.matcher(node.log());
    while (m.find()) {
      ids.addAll(List.of(m.group(1).split(",")));
    }
    return ids;
  }
}
