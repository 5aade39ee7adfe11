package io.hookwire.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.testing.ApiClient;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
  // Operators alert on delivery outcomes: the Prometheus endpoint must count each of them.
  @Test
  void metricsCountDeliveriesByOutcome() {
    try (TestServer server = TestServer.start(StoreKind.SQLITE);
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.enqueue(RecordingReceiver.Answer.status(503));
      ApiClient api = server.api();
      api.postForm(
          "/v2/webhook", Map.of("event", "newLead", "name", "CRM", "url", receiver.url("/hook")));
      api.postJson("/v2/event", "{\"event\":\"newLead\",\"data\":{}}");
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 2);

      ApiClient anonymous = new ApiClient(server.baseUrl(), null, null);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                ApiClient.Answer metrics = anonymous.get("/metrics");
                assertThat(metrics.status()).isEqualTo(200);
                assertThat(metrics.text())
                    .contains("hookwire_deliveries_total{outcome=\"retry\"} 1.0")
                    .contains("hookwire_deliveries_total{outcome=\"delivered\"} 1.0")
                    .contains("hookwire_delivery_request_seconds_count 2")
                    .contains("jvm_memory_used_bytes");
              });
    }
  }
}
