package io.hookwire.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwire.core.EventType;
import io.hookwire.core.NewEvent;
import io.hookwire.core.PayloadState;
import io.hookwire.core.Webhook;
import io.hookwire.core.WebhookRow;
import io.hookwire.store.Store;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.RecordingReceiver.Received;
import io.hookwire.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/** What the delivery tests do again and again: create webhooks, publish, read what arrived. */
final class Deliveries {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Deliveries() {}

  /** A created webhook and the Secret its create response showed. */
  record Hook(String id, String secret) {}

  /** A {@code newLead} webhook to {@code url}, with any further form fields. */
  static Hook createWebhook(ApiClient api, String url, Map<String, String> more) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("event", "newLead");
    form.put("name", "Lead sync");
    form.put("url", url);
    form.putAll(more);
    ApiClient.Answer created = api.postForm("/v2/webhook", form);
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    return new Hook(
        created.json().at("/Webhook/Id").asText(), created.json().at("/Webhook/Secret").asText());
  }

  static Hook createWebhook(ApiClient api, String url) {
    return createWebhook(api, url, Map.of());
  }

  /** Publishes a {@code newLead} event with this data and returns the answer's Event. */
  static JsonNode publish(ApiClient api, String dataJson) {
    ApiClient.Answer answer =
        api.postJson("/v2/event", "{\"event\":\"newLead\",\"data\":" + dataJson + "}");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.json().get("Event");
  }

  /** Publishes {@code {"n": 0}}, {@code {"n": 1}}, ... in one {@code POST /v2/events}. */
  static void publishNumbered(ApiClient api, int count) {
    StringBuilder events = new StringBuilder("[");
    for (int n = 0; n < count; n++) {
      events.append(n == 0 ? "" : ",").append("{\"event\":\"newLead\",\"data\":{\"n\":");
      events.append(n).append("}}");
    }
    ApiClient.Answer answer = api.postJson("/v2/events", events.append(']').toString());
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
  }

  static ApiClient.Answer setEnabled(ApiClient api, String webhookId, boolean enabled) {
    ApiClient.Answer answer =
        api.postForm("/v2/webhook/" + webhookId, Map.of("isEnabled", enabled ? "1" : "0"));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer;
  }

  /** The whole log of a webhook, newest first (one page of up to 100). */
  static JsonNode log(ApiClient api, String webhookId) {
    ApiClient.Answer answer = api.get("/v2/webhook-log/" + webhookId + "?_count=100");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.json();
  }

  static long payloads(TestServer server, String webhookId, String state) {
    return server
        .server
        .store()
        .countPayloads(server.accountId, webhookId, PayloadState.valueOf(state));
  }

  /** Payloads of the webhook that may still be sent: pending, in flight or held. */
  static long unfinished(TestServer server, String webhookId) {
    return payloads(server, webhookId, "pending")
        + payloads(server, webhookId, "in_flight")
        + payloads(server, webhookId, "held");
  }

  static JsonNode json(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The envelopes of a request: the body itself, or each element of a batch. */
  static List<JsonNode> envelopes(Received request) {
    JsonNode body = json(request.body());
    List<JsonNode> envelopes = new ArrayList<>();
    if (body.isArray()) {
      body.forEach(envelopes::add);
    } else {
      envelopes.add(body);
    }
    return envelopes;
  }

  static List<String> payloadIds(Received request) {
    return List.of(request.header("X-Oktopost-Payload").split(","));
  }

  /** For each {@code data.n} received, the payload ids that carried it. */
  static Map<Integer, List<String>> payloadIdsByNumber(List<Received> requests) {
    Map<Integer, List<String>> ids = new HashMap<>();
    for (Received r : requests) {
      List<JsonNode> envelopes = envelopes(r);
      List<String> payloadIds = payloadIds(r);
      for (int i = 0; i < envelopes.size(); i++) {
        ids.computeIfAbsent(envelopes.get(i).at("/data/n").asInt(), n -> new ArrayList<>())
            .add(payloadIds.get(i));
      }
    }
    return ids;
  }

  /**
   * Stores an enabled newLead webhook straight in the store, for tests that drive the pipeline
   * without the API.
   *
   * @return its id
   */
  static String insertWebhook(
      Store store, String accountId, String id, String secretSealed, Instant at) {
    store.insertWebhook(
        new WebhookRow(
            new Webhook(
                accountId,
                id,
                "CRM",
                "",
                EventType.newLead,
                "https://crm.example/hook",
                true,
                Optional.empty(),
                1,
                Optional.empty(),
                at,
                at),
            secretSealed,
            Optional.empty(),
            Optional.empty()));
    return id;
  }

  /** Publishes {@code events} newLead events straight to the store: {"n":0}, {"n":1}, … */
  static void publishToStore(Store store, String accountId, int events, Instant at) {
    store.publish(
        accountId,
        IntStream.range(0, events)
            .mapToObj(n -> new NewEvent(EventType.newLead, "{\"n\":" + n + "}", Optional.empty()))
            .toList(),
        at,
        Duration.ofHours(1));
  }
}
