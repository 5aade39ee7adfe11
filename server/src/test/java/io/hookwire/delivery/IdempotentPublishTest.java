package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.payloads;
import static io.hookwire.delivery.Deliveries.unfinished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.delivery.Deliveries.Hook;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A producer that retries a publish (its own request timed out, say) with the same idempotency key
 * must not make the receiver get the event twice.
 */
class IdempotentPublishTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void sameIdempotencyKeyTwiceDeliversOnce(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      String event = "{\"event\":\"newLead\",\"data\":{\"email\":\"ada@example.com\"}}";

      ApiClient.Answer first =
          api.postJson("/v2/event", event, Map.of("Idempotency-Key", "lead-ada-1"));
      ApiClient.Answer second =
          api.postJson("/v2/event", event, Map.of("Idempotency-Key", "lead-ada-1"));

      assertThat(first.json().at("/Event/Duplicate").asBoolean()).isFalse();
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.json().at("/Event/Duplicate").asBoolean()).isTrue();
      assertThat(second.json().at("/Event/Id").asText())
          .isEqualTo(first.json().at("/Event/Id").asText());
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 1);
      // Nothing is left that could still be sent.
      assertThat(unfinished(server, hook.id())).isZero();
      assertThat(receiver.received()).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void batchPublishHonoursEachItemsIdempotencyKey(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      String batch =
          """
          [{"event":"newLead","data":{"n":0},"idempotencyKey":"k-0"},
           {"event":"newLead","data":{"n":1},"idempotencyKey":"k-1"},
           {"event":"newLead","data":{"n":0},"idempotencyKey":"k-0"}]""";

      JsonNode first = api.postJson("/v2/events", batch).json().get("Items");
      JsonNode again = api.postJson("/v2/events", batch).json().get("Items");

      assertThat(first)
          .extracting(i -> i.get("Duplicate").asBoolean())
          .containsExactly(false, false, true);
      assertThat(first.get(2).get("Id").asText()).isEqualTo(first.get(0).get("Id").asText());
      assertThat(again)
          .extracting(i -> i.get("Duplicate").asBoolean())
          .containsExactly(true, true, true);
      assertThat(again)
          .extracting(i -> i.get("Id").asText())
          .containsExactly(
              first.get(0).get("Id").asText(),
              first.get(1).get("Id").asText(),
              first.get(0).get("Id").asText());
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 2);
      assertThat(unfinished(server, hook.id())).isZero();
      assertThat(receiver.received())
          .extracting(r -> Deliveries.json(r.body()).at("/data/n").asInt())
          .containsExactlyInAnyOrder(0, 1);
    }
  }
}
