package io.hookwire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import java.time.Duration;
import java.util.Map;

/** The few API calls the security tests make over and over, each checked as it goes. */
final class Calls {
  private Calls() {}

  /** A newLead webhook to {@code url}; its id. */
  static String createWebhook(ApiClient api, String url) {
    Answer created =
        api.postForm("/v2/webhook", Map.of("event", "newLead", "name", "Target", "url", url));
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    return created.json().at("/Webhook/Id").asText();
  }

  static void publishNewLead(ApiClient api) {
    Answer published =
        api.postJson("/v2/event", "{\"event\":\"newLead\",\"data\":{\"email\":\"a@example.com\"}}");
    assertThat(published.status()).as(published.text()).isEqualTo(200);
  }

  /** The webhook's log once it has at least {@code entries}, newest first. */
  static JsonNode awaitLog(ApiClient api, String webhookId, int entries) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> api.get("/v2/webhook-log/" + webhookId).json(),
            log -> log.at("/Total").asInt() >= entries)
        .at("/Items");
  }

  /** The field's error message of a 400 in Oktopost's shape. */
  static String fieldError(Answer answer, String field) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(400);
    assertThat(answer.json().at("/Result").asBoolean(true)).isFalse();
    JsonNode error = answer.json().at("/Errors/" + field + "/Error");
    assertThat(error.isTextual()).as("Errors.%s.Error in %s", field, answer.text()).isTrue();
    return error.asText();
  }
}
