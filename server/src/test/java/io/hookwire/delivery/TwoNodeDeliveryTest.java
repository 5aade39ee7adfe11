package io.hookwire.delivery;

import static io.hookwire.delivery.CrashRecoveryTest.EVENTS;
import static io.hookwire.delivery.CrashRecoveryTest.assertEveryEventArrivedUnderOnePayloadId;
import static io.hookwire.delivery.CrashRecoveryTest.distinctReceived;
import static io.hookwire.delivery.CrashRecoveryTest.serveArguments;
import static io.hookwire.delivery.Deliveries.createWebhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.core.PayloadState;
import io.hookwire.delivery.Deliveries.Hook;
import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.PostgresDatabase;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Answer;
import io.hookwire.testing.ServerProcess;
import io.hookwire.testing.ServerProcess.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-node on PostgreSQL: two {@code serve} processes on one database share the deliveries with
 * no leader (FOR UPDATE SKIP LOCKED and leases), and when one dies the other takes over its leased
 * payloads, losing none. Who delivered what is read from each node's own metrics, what the receiver
 * got and what the database holds.
 */
class TwoNodeDeliveryTest {
  private static final String DELIVERED = "hookwire_deliveries_total{outcome=\"delivered\"}";

  @TempDir Path dir;

  @Test
  void twoNodesShareTheWorkAndLoseNothingWhenOneIsKilled() {
    Optional<String> database = Optional.of(PostgresDatabase.create());
    Credentials account = ServerProcess.createAccount(database, dir.resolve("setup"));
    // One master key for both: either node must open the secrets the other sealed.
    Map<String, String> env = Map.of("HOOKWIRE_MASTER_KEY", ServerProcess.newMasterKey());

    try (RecordingReceiver receiver = new RecordingReceiver();
        Store store = Stores.open(database, dir.resolve("store"), 2);
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
      Hook hook = createWebhook(viaFirst, receiver.url("/hook"));
      // Either node takes events for the same account.
      Deliveries.publishNumbered(viaFirst, EVENTS / 2);
      publishNumberedFrom(viaSecond, EVENTS / 2, EVENTS);

      // Each node counts deliveries of its own: both take part.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> delivered(first) > 0 && delivered(second) > 0);
      first.kill();
      // The survivor's count first: an event that first arrives after the count of arrivals can
      // only be delivered by the survivor, which counts it after this reading.
      double deliveredBySecondAtKill = delivered(second);
      int arrivedAtKill = distinctReceived(receiver);
      assertThat(arrivedAtKill).isLessThan(EVENTS);

      await().atMost(Duration.ofSeconds(120)).until(() -> distinctReceived(receiver) == EVENTS);

      assertEveryEventArrivedUnderOnePayloadId(receiver);
      // Every payload ends delivered, none still leased: the killed node's leased payloads were
      // taken over and their outcome recorded.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  store.countPayloads(account.accountId(), hook.id(), PayloadState.delivered)
                      == EVENTS);
      assertThat(store.countPayloads(account.accountId(), hook.id(), PayloadState.in_flight))
          .isZero();
      // Each event that first arrived after the kill was answered 200 to the survivor, which
      // counted it delivered.
      assertThat(delivered(second) - deliveredBySecondAtKill)
          .isGreaterThanOrEqualTo(EVENTS - arrivedAtKill);
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

  /** Payloads the node has decided delivered (answered 2xx), from its Prometheus endpoint. */
  private static double delivered(ServerProcess node) {
    String text = new ApiClient(node.baseUrl(), null, null).get("/metrics").text();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(DELIVERED) + " (\\S+)$").matcher(text);
    assertThat(m.find()).as(DELIVERED + " in " + text).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
