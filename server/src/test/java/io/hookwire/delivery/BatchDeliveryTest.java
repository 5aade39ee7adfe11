package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.log;
import static io.hookwire.delivery.Deliveries.payloadIds;
import static io.hookwire.delivery.Deliveries.payloads;
import static io.hookwire.delivery.Deliveries.publish;
import static io.hookwire.delivery.Deliveries.publishNumbered;
import static io.hookwire.delivery.Deliveries.setEnabled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.hookwire.delivery.Deliveries.Hook;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.NodeJs;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Received;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import io.hookwire.verify.Envelopes;
import io.hookwire.verify.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A webhook with a batch size takes several payloads per request: a JSON array of envelopes whose
 * ids {@code X-Oktopost-Payload} lists in order. Held payloads released by an enable go out that
 * way, and each payload exactly once.
 */
class BatchDeliveryTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void heldPayloadsGoOutInBatchesOfTheWebhooksBatchSize(StoreKind kind) throws Exception {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook =
          createWebhook(api, receiver.url("/hook"), Map.of("batchSize", "10", "isEnabled", "0"));
      publishNumbered(api, 25);
      assertThat(payloads(server, hook.id(), "held")).isEqualTo(25);

      setEnabled(api, hook.id(), true);

      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 25);
      List<Received> requests = receiver.received();
      assertThat(requests).hasSize(3);
      Map<String, Integer> numberOfPayload = new HashMap<>();
      log(api, hook.id())
          .get("Items")
          .forEach(
              i ->
                  numberOfPayload.put(
                      i.get("WebhookPayloadId").asText(), i.at("/Payload/data/n").asInt()));
      List<Integer> delivered = new ArrayList<>();
      for (Received request : requests) {
        JsonNode body = Deliveries.json(request.body());
        assertThat(body.isArray()).isTrue();
        assertThat(body.size()).isBetween(1, 10);
        List<String> ids = payloadIds(request);
        assertThat(ids).hasSize(body.size());
        for (int i = 0; i < ids.size(); i++) {
          // The header's i-th id is the payload of the body's i-th envelope.
          assertThat(body.get(i).at("/data/n").asInt()).isEqualTo(numberOfPayload.get(ids.get(i)));
          assertThat(body.get(i).get("webhookId").asText()).isEqualTo(hook.id());
          delivered.add(body.get(i).at("/data/n").asInt());
        }
        assertThat(Envelopes.payloadIds(request.header("X-Oktopost-Payload"))).isEqualTo(ids);
        assertThat(Envelopes.parse(request.body())).hasSize(ids.size());

        WebhookVerifier.of(hook.secret())
            .requireStandardWebhooks()
            .verify(request.body(), request::header);
        new Webhook(
                "whsec_"
                    + Base64.getEncoder()
                        .encodeToString(hook.secret().getBytes(StandardCharsets.UTF_8)))
            .verify(request.bodyText(), DeliveryWireFormatTest.headers(request));
      }
      assertThat(delivered).hasSize(25).doesNotHaveDuplicates();
      assertThat(numberOfPayload).hasSize(25);
      assertThat(requests)
          .extracting(r -> r.header("webhook-id"))
          .doesNotHaveDuplicates()
          .allSatisfy(id -> assertThat(id).startsWith("batch_"));
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void batchingWebhookGetsAnArrayEvenForOnePayload(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"), Map.of("batchSize", "10"));
      publish(api, "{\"n\":0,\"name\":\"Zoë\"}");

      await().atMost(PATIENCE).until(() -> receiver.received().size() == 1);
      Received request = receiver.received().get(0);
      JsonNode body = Deliveries.json(request.body());
      assertThat(body.isArray()).isTrue();
      assertThat(body.size()).isEqualTo(1);
      assertThat(payloadIds(request)).hasSize(1);
      // Last: without node the test is skipped here, after everything else was checked.
      assertThat(NodeJs.roundTrip(request.body())).isEqualTo(request.body());
    }
  }
}
