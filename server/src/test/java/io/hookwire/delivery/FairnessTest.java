package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.log;
import static io.hookwire.delivery.Deliveries.publishNumbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.delivery.Deliveries.Hook;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Answer;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One slow endpoint must never delay the others: a receiver that hangs takes up its own webhook's
 * share of requests and nothing more.
 */
class FairnessTest {

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void hangingReceiverDoesNotDelayAnotherWebhook(StoreKind kind) {
    int concurrency = 4;
    try (TestServer server =
            TestServer.start(
                kind,
                c ->
                    ConfigEditor.of(c)
                        // Long enough that the hanging receiver really holds its requests.
                        .deliveryTimeout(Duration.ofSeconds(30))
                        .concurrencyPerWebhook(concurrency)
                        .build(),
                b -> b);
        RecordingReceiver hanging = new RecordingReceiver();
        RecordingReceiver healthy = new RecordingReceiver()) {
      hanging.answerByDefault(Answer.after(Duration.ofSeconds(25), 200));
      ApiClient api = server.api();
      // Both subscribe to newLead: every event goes to both, the hanging one first.
      Hook slow = createWebhook(api, hanging.url("/slow"));
      Hook fast = createWebhook(api, healthy.url("/fast"));

      publishNumbered(api, 40);

      await().atMost(Duration.ofSeconds(20)).until(() -> healthy.received().size() == 40);
      // Everything reached the healthy receiver while the hanging one had answered nothing ...
      assertThat(log(api, slow.id()).get("Total").asInt()).isZero();
      // ... and held no more of the server's requests than its own webhook's share.
      assertThat(hanging.received()).hasSizeBetween(1, concurrency);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> log(api, fast.id()).get("Total").asInt() == 40);
    }
  }
}
