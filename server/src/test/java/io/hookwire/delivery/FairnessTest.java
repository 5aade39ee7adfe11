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
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void hangingReceiverDoesNotDelayAnotherWebhook(StoreKind kind) {
    int concurrency = 4;
    try (TestServer server =
            TestServer.start(
                kind,
                c ->
                    ConfigEditor.of(c)
                        // Longer than the test: the hanging receiver's requests stay on the wire.
                        .deliveryTimeout(Duration.ofSeconds(30))
                        .concurrencyPerWebhook(concurrency)
                        .build(),
                b -> b);
        RecordingReceiver hanging = new RecordingReceiver();
        RecordingReceiver healthy = new RecordingReceiver()) {
      hanging.answerByDefault(Answer.held(200));
      ApiClient api = server.api();
      // Both subscribe to newLead: every event goes to both, the hanging one first.
      Hook slow = createWebhook(api, hanging.url("/slow"));
      Hook fast = createWebhook(api, healthy.url("/fast"));

      publishNumbered(api, 40);

      // The hanging receiver holds all of its webhook's requests ...
      await().atMost(PATIENCE).until(() -> hanging.holding() == concurrency);
      // ... while everything reaches the healthy receiver and is logged.
      await().atMost(PATIENCE).until(() -> healthy.received().size() == 40);
      await().atMost(PATIENCE).until(() -> log(api, fast.id()).get("Total").asInt() == 40);
      // The hanging one answered nothing and got no more than its own webhook's share.
      assertThat(log(api, slow.id()).get("Total").asInt()).isZero();
      assertThat(hanging.received()).hasSize(concurrency);

      // Once it answers, its own payloads follow: they waited, none was lost.
      hanging.release();
      await().atMost(PATIENCE).until(() -> log(api, slow.id()).get("Total").asInt() == 40);
      assertThat(hanging.received()).hasSize(40);
    }
  }
}
