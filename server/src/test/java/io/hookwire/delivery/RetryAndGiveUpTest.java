package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.log;
import static io.hookwire.delivery.Deliveries.payloads;
import static io.hookwire.delivery.Deliveries.publish;
import static io.hookwire.delivery.Deliveries.unfinished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.delivery.Deliveries.Hook;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Answer;
import io.hookwire.testing.RecordingReceiver.Received;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A receiver that fails must get the payload again on the schedule (the reference's "up to 3
 * times", or the webhook's own), then no more: these tests script a real receiver's failures,
 * timeouts and redirects and count what reaches it.
 */
class RetryAndGiveUpTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void failingReceiverGetsOneAttemptPlusOnePerRetryThenThePayloadFails(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.answerByDefault(Answer.status(500));
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      publish(api, "{\"lead\":1}");

      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "failed") == 1);

      // The server's schedule has 3 retries; a failed payload is never claimed again.
      List<Received> requests = receiver.received();
      assertThat(requests).hasSize(4);
      assertThat(requests)
          .extracting(r -> r.header("X-Oktopost-Payload"))
          .containsOnly(requests.get(0).header("X-Oktopost-Payload"));
      assertThat(requests)
          .extracting(r -> r.header("webhook-id"))
          .containsOnly(requests.get(0).header("webhook-id"));
      assertThat(requests).extracting(Received::bodyText).containsOnly(requests.get(0).bodyText());
      assertThat(unfinished(server, hook.id())).isZero();

      JsonNode log = log(api, hook.id());
      assertThat(log.get("Total").asInt()).isEqualTo(4);
      assertThat(log.get("Items")).extracting(i -> i.get("ResponseCode").asInt()).containsOnly(500);
      assertThat(log.get("Items"))
          .extracting(i -> i.get("Attempt").asInt())
          .containsExactly(4, 3, 2, 1);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void webhooksOwnRetryScheduleOverridesTheServersAndIsWaitedFor(StoreKind kind) {
    // Delays below the default minimum of 1 s, which the operator lowered for this server.
    try (TestServer server =
            TestServer.start(
                kind, c -> c.toBuilder().minRetryDelay(Duration.ofMillis(100)).build(), b -> b);
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.answerByDefault(Answer.status(503));
      ApiClient api = server.api();
      // Five retries, as the help article's schedule, in milliseconds.
      List<Duration> schedule =
          List.of(
              Duration.ofMillis(100),
              Duration.ofMillis(200),
              Duration.ofMillis(300),
              Duration.ofMillis(400),
              Duration.ofMillis(500));
      Hook hook =
          createWebhook(
              api, receiver.url("/hook"), Map.of("retrySchedule", "100ms,200ms,300ms,400ms,500ms"));
      assertThat(api.get("/v2/webhook/" + hook.id()).json().at("/Webhook/RetrySchedule").asText())
          .isEqualTo("100ms,200ms,300ms,400ms,500ms");
      publish(api, "{\"lead\":1}");

      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "failed") == 1);

      List<Received> requests = receiver.received();
      assertThat(requests).hasSize(6);
      // Each retry comes no sooner than its delay after the attempt before it was answered.
      for (int i = 1; i < requests.size(); i++) {
        assertThat(Duration.between(requests.get(i - 1).at(), requests.get(i).at()))
            .isGreaterThanOrEqualTo(schedule.get(i - 1));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void successOnARetryStopsRetrying(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.enqueue(Answer.status(500), Answer.status(503));
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      publish(api, "{\"lead\":1}");

      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 1);

      assertThat(receiver.received()).hasSize(3);
      assertThat(unfinished(server, hook.id())).isZero();
      await().atMost(PATIENCE).until(() -> log(api, hook.id()).get("Total").asInt() == 3);
      assertThat(log(api, hook.id()).get("Items"))
          .extracting(i -> i.get("ResponseCode").asInt())
          .containsExactly(200, 503, 500);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void receiverThatDoesNotAnswerInTimeIsLoggedWithoutResponseAndRetried(StoreKind kind) {
    try (TestServer server =
            TestServer.start(
                kind,
                c -> ConfigEditor.of(c).deliveryTimeout(Duration.ofMillis(500)).build(),
                b -> b);
        RecordingReceiver receiver = new RecordingReceiver()) {
      // The first request is never answered while the test runs: only the timeout can end it.
      receiver.enqueue(Answer.held(200));
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      publish(api, "{\"lead\":1}");

      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 1);

      assertThat(receiver.received()).hasSize(2);
      // Delivered by the retry while the first request is still held: the server gave up on it.
      assertThat(receiver.holding()).isEqualTo(1);
      await().atMost(PATIENCE).until(() -> log(api, hook.id()).get("Total").asInt() == 2);
      JsonNode items = log(api, hook.id()).get("Items");
      JsonNode timedOut = items.get(1);
      assertThat(timedOut.get("ResponseCode").asInt()).isZero();
      assertThat(timedOut.get("Error").asText()).contains("timeout");
      // Waited for the whole timeout before giving up.
      assertThat(timedOut.get("ExecutionTime").asDouble()).isGreaterThanOrEqualTo(0.5);
      assertThat(items.get(0).get("ResponseCode").asInt()).isEqualTo(200);
      assertThat(items.get(0).get("WebhookPayloadId").asText())
          .isEqualTo(timedOut.get("WebhookPayloadId").asText());
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void redirectIsNotFollowedAndCountsAsAFailure(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.answerByDefault(Answer.redirect(receiver.url("/moved")));
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      publish(api, "{\"lead\":1}");

      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "failed") == 1);

      assertThat(receiver.receivedOn("/moved")).isEmpty();
      assertThat(receiver.receivedOn("/hook")).hasSize(4);
      JsonNode items = log(api, hook.id()).get("Items");
      List<String> errors = new ArrayList<>();
      items.forEach(i -> errors.add(i.get("Error").asText()));
      assertThat(items).extracting(i -> i.get("ResponseCode").asInt()).containsOnly(302);
      assertThat(errors).allSatisfy(e -> assertThat(e).contains("redirect").contains("/moved"));
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void refusedConnectionIsLoggedWithTheReason(StoreKind kind) {
    String closedUrl;
    try (RecordingReceiver gone = new RecordingReceiver()) {
      closedUrl = gone.url("/hook");
    }
    try (TestServer server = TestServer.start(kind)) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, closedUrl);
      publish(api, "{\"lead\":1}");

      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "failed") == 1);

      JsonNode items = log(api, hook.id()).get("Items");
      assertThat(items).hasSize(4);
      assertThat(items).extracting(i -> i.get("ResponseCode").asInt()).containsOnly(0);
      assertThat(items)
          .extracting(i -> i.get("Error").asText())
          .allSatisfy(e -> assertThat(e).containsIgnoringCase("refused"));
      assertThat(
              api.get("/v2/webhook/" + hook.id()).json().at("/Webhook/LastExecutionDate").asText())
          .isNotEqualTo("-");
    }
  }
}
