package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.delivery.Deliveries.Hook;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Answer;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The webhook log is how a user debugs a receiver (the reference's "Webhook Log", the help
 * article's "Request Log"): every request, newest first, in the reference's shape, page by page.
 */
class WebhookLogTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Pattern API_DATE =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void logShowsEveryRequestNewestFirstPageByPage(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      assertThat(
              api.get("/v2/webhook/" + hook.id()).json().at("/Webhook/LastExecutionDate").asText())
          .isEqualTo("-");
      // The first request fails and is retried: 22 payloads, 23 requests.
      receiver.enqueue(Answer.status(500));
      publish(api, "{\"n\":0}");
      await().atMost(PATIENCE).until(() -> receiver.received().size() == 2);
      for (int n = 1; n < 22; n++) {
        publish(api, "{\"n\":" + n + "}");
      }
      await()
          .atMost(PATIENCE)
          .until(() -> api.get("/v2/webhook-log/" + hook.id()).json().get("Total").asInt() == 23);

      ApiClient.Answer first = api.get("/v2/webhook-log/" + hook.id() + "?_page=0&_count=20");
      ApiClient.Answer second = api.get("/v2/webhook-log/" + hook.id() + "?_page=1&_count=20");

      assertThat(first.json().get("Result").asBoolean()).isTrue();
      assertThat(first.json().get("Total").asInt()).isEqualTo(23);
      assertThat(first.json().get("Items")).hasSize(20);
      assertThat(second.json().get("Items")).hasSize(3);
      List<JsonNode> items = new ArrayList<>();
      first.json().get("Items").forEach(items::add);
      second.json().get("Items").forEach(items::add);
      Set<String> ids = new HashSet<>();
      for (JsonNode item : items) {
        assertThat(item.get("Id").asText()).matches("0WC[0-9A-Za-z]{12}");
        ids.add(item.get("Id").asText());
        assertThat(item.get("WebhookPayloadId").asText()).matches("0WB[0-9A-Za-z]{12}");
        assertThat(item.get("Created").asText()).matches(API_DATE);
        assertThat(item.get("ExecutionTime").isFloatingPointNumber()).isTrue();
        assertThat(item.get("ExecutionTime").asDouble()).isBetween(0.0, 10.0);
        JsonNode payload = item.get("Payload");
        assertThat(payload.get("event").asText()).isEqualTo("newLead");
        assertThat(payload.get("webhookId").asText()).isEqualTo(hook.id());
        assertThat(payload.get("timestamp").isIntegralNumber()).isTrue();
        assertThat(payload.at("/data/n").isInt()).isTrue();
      }
      assertThat(ids).hasSize(23);
      // Seconds with microseconds, as the reference's "ExecutionTime": 0.034530.
      assertThat(first.text()).containsPattern("\"ExecutionTime\":\\d+\\.\\d{6}[,}]");
      List<String> created = items.stream().map(i -> i.get("Created").asText()).toList();
      assertThat(created).isSortedAccordingTo((a, b) -> b.compareTo(a));

      // The failed first attempt is older than its successful retry, so it is listed after it.
      List<JsonNode> ofFirst =
          items.stream().filter(i -> i.at("/Payload/data/n").asInt() == 0).toList();
      assertThat(ofFirst).extracting(i -> i.get("ResponseCode").asInt()).containsExactly(200, 500);
      assertThat(ofFirst.get(1).get("Attempt").asInt()).isEqualTo(1);
      assertThat(ofFirst.get(0).get("Attempt").asInt()).isEqualTo(2);
      assertThat(ofFirst.get(0).get("WebhookPayloadId").asText())
          .isEqualTo(ofFirst.get(1).get("WebhookPayloadId").asText());

      assertThat(
              api.get("/v2/webhook/" + hook.id()).json().at("/Webhook/LastExecutionDate").asText())
          .isEqualTo(items.get(0).get("Created").asText());
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void logRefusesBadPagingAndOtherAccountsWebhooks(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));

      ApiClient.Answer badCount = api.get("/v2/webhook-log/" + hook.id() + "?_count=7");
      ApiClient.Answer otherAccount =
          server.newAccount("Other").get("/v2/webhook-log/" + hook.id());

      assertThat(badCount.status()).isEqualTo(400);
      assertThat(badCount.json().at("/Errors/_count/Error").asText()).contains("20, 25, 50, 100");
      assertThat(otherAccount.status()).isEqualTo(404);
      assertThat(otherAccount.json().get("Result").asBoolean()).isFalse();
    }
  }
}
