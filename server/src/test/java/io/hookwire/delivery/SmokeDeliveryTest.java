package io.hookwire.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.testing.ApiClient;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmokeDeliveryTest {
  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void publishedEventReachesTheReceiver(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      var created =
          api.postForm(
              "/v2/webhook",
              Map.of("event", "newLead", "name", "CRM", "url", receiver.url("/hook")));
      assertThat(created.status()).isEqualTo(200);
      var published =
          api.postJson("/v2/event", "{\"event\":\"newLead\",\"data\":{\"email\":\"a@b.c\"}}");
      assertThat(published.json().at("/Event/Payloads").asInt()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);
      assertThat(receiver.received().get(0).bodyText()).contains("\"email\":\"a@b.c\"");
    }
  }
}
