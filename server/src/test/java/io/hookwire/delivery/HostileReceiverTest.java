package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.log;
import static io.hookwire.delivery.Deliveries.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.delivery.Deliveries.Hook;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Answer;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Receivers that answer in ways meant to hurt the sender: a body of 100 MB, a body dripped a byte
 * at a time. The sender reads what it logs (4 KiB) and no more, and a delivery ends within its
 * timeout whatever the receiver does.
 */
class HostileReceiverTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Test
  void aHundredMegabyteAnswerIsLoggedByItsFirstFourKibibytesAndTheNextDeliveryGoesOn() {
    try (TestServer server = TestServer.start(StoreKind.SQLITE);
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.enqueue(Answer.huge(200, 100L * 1024 * 1024));
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      publish(api, "{\"n\":1}");
      publish(api, "{\"n\":2}");

      await().atMost(PATIENCE).until(() -> log(api, hook.id()).get("Total").asInt() == 2);
      for (JsonNode entry : log(api, hook.id()).get("Items")) {
        assertThat(entry.get("ResponseCode").asInt()).isEqualTo(200);
        assertThat(entry.get("Response").asText().length())
            .isLessThanOrEqualTo(OkHttpSender.MAX_RESPONSE_BODY);
      }
      assertThat(receiver.received()).hasSize(2);
    }
  }

  @Test
  void anAnswerDrippedAByteAtATimeTimesOutAndIsRetried() {
    try (TestServer server =
            TestServer.start(
                StoreKind.SQLITE,
                c -> ConfigEditor.of(c).deliveryTimeout(Duration.ofMillis(500)).build(),
                b -> b);
        RecordingReceiver receiver = new RecordingReceiver()) {
      // Headers at once, then a byte every 100 ms: the whole body would take 10 s.
      receiver.enqueue(Answer.drip(200, 100, Duration.ofMillis(100)));
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      publish(api, "{\"n\":1}");

      await().atMost(PATIENCE).until(() -> log(api, hook.id()).get("Total").asInt() == 2);
      JsonNode items = log(api, hook.id()).get("Items");
      JsonNode dripped = items.get(1);
      assertThat(dripped.get("ResponseCode").asInt()).isZero();
      assertThat(dripped.get("Error").asText()).contains("timeout");
      assertThat(dripped.get("ExecutionTime").asDouble()).isLessThan(10);
      assertThat(items.get(0).get("ResponseCode").asInt()).isEqualTo(200);
    }
  }
}
