package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.log;
import static io.hookwire.delivery.Deliveries.payloads;
import static io.hookwire.delivery.Deliveries.publish;
import static io.hookwire.delivery.Deliveries.setEnabled;
import static io.hookwire.delivery.Deliveries.unfinished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.core.Clocks;
import io.hookwire.delivery.Deliveries.Hook;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Answer;
import io.hookwire.testing.RecordingReceiver.Received;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestClock;
import io.hookwire.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The help article's promise: "deactivate the webhook and Oktopost will resend the data when the
 * webhook is reactivated"; and resend, for receivers that were down longer than the retries last.
 */
class HoldAndResendTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void disabledWebhookHoldsPayloadsUntilEnabledThenSendsThemOldestFirst(StoreKind kind) {
    TestClock clock = TestClock.running();
    // One request at a time, so the order of arrival is the order of sending.
    try (TestServer server =
            TestServer.start(
                kind,
                c -> ConfigEditor.of(c).concurrencyPerWebhook(1).build(),
                b -> b.clock(clock));
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      setEnabled(api, hook.id(), false);
      for (int n = 0; n < 8; n++) {
        publish(api, "{\"n\":" + n + "}");
      }

      // Held in the same transaction as the publish: nothing can be on its way.
      assertThat(payloads(server, hook.id(), "held")).isEqualTo(8);
      assertThat(payloads(server, hook.id(), "pending")).isZero();
      assertThat(receiver.received()).isEmpty();

      setEnabled(api, hook.id(), true);

      await().atMost(PATIENCE).until(() -> receiver.received().size() == 8);
      assertThat(receiver.received())
          .extracting(r -> Deliveries.json(r.body()).at("/data/n").asInt())
          .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 8);
    }
  }

  // Payloads leased at publish wait in memory for their turn; a disable must hold those too, and
  // the
  // enable send them, while events keep coming.
  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void disablingAndEnablingDuringLiveTrafficDeliversEveryPayloadExactlyOnce(StoreKind kind)
      throws Exception {
    int events = 300;
    try (TestServer server =
            TestServer.start(
                kind, c -> ConfigEditor.of(c).concurrencyPerWebhook(2).build(), b -> b);
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.answerByDefault(Answer.after(Duration.ofMillis(2), 200));
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      try (ExecutorService producer = Executors.newSingleThreadExecutor()) {
        Future<?> publishing =
            producer.submit(
                () -> {
                  for (int n = 0; n < events; n++) {
                    publish(api, "{\"n\":" + n + "}");
                  }
                });
        for (int toggle = 0; toggle < 6 && !publishing.isDone(); toggle++) {
          boolean enabled = toggle % 2 == 0;
          if (enabled) {
            // Deliveries are flowing: disable among them.
            int arrived = receiver.received().size();
            await()
                .atMost(PATIENCE)
                .until(() -> receiver.received().size() > arrived || publishing.isDone());
          } else {
            // Events are being held: enable among them.
            await()
                .atMost(PATIENCE)
                .until(() -> payloads(server, hook.id(), "held") > 0 || publishing.isDone());
          }
          setEnabled(api, hook.id(), !enabled);
        }
        publishing.get();
      }
      setEnabled(api, hook.id(), true);

      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == events);
      assertThat(unfinished(server, hook.id())).isZero();
      assertThat(receiver.received())
          .extracting(r -> Deliveries.json(r.body()).at("/data/n").asInt())
          .hasSize(events)
          .doesNotHaveDuplicates();
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void disablingHoldsAPayloadWaitingForItsRetryAndEnablingSendsItAtOnce(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.enqueue(Answer.status(500));
      ApiClient api = server.api();
      // The next retry would be an hour away.
      Hook hook = createWebhook(api, receiver.url("/hook"), Map.of("retrySchedule", "1h"));
      publish(api, "{\"lead\":1}");
      await().atMost(PATIENCE).until(() -> log(api, hook.id()).get("Total").asInt() == 1);
      assertThat(payloads(server, hook.id(), "pending")).isEqualTo(1);

      setEnabled(api, hook.id(), false);
      assertThat(payloads(server, hook.id(), "held")).isEqualTo(1);

      setEnabled(api, hook.id(), true);

      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 1);
      List<Received> requests = receiver.received();
      assertThat(requests).hasSize(2);
      assertThat(requests.get(1).header("X-Oktopost-Payload"))
          .isEqualTo(requests.get(0).header("X-Oktopost-Payload"));
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void resendRequeuesFailedPayloads(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.answerByDefault(Answer.status(500));
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      publish(api, "{\"n\":0}");
      publish(api, "{\"n\":1}");
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "failed") == 2);
      assertThat(receiver.received()).hasSize(8);

      receiver.answerByDefault(Answer.status(200));
      ApiClient.Answer resent = api.postForm("/v2/webhook/" + hook.id() + "/resend", Map.of());

      assertThat(resent.status()).isEqualTo(200);
      assertThat(resent.json().get("Resent").asInt()).isEqualTo(2);
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 2);
      assertThat(receiver.received()).hasSize(10);
      assertThat(unfinished(server, hook.id())).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void resendSinceRequeuesOnlyPayloadsCreatedFromThatTime(StoreKind kind) {
    TestClock clock = TestClock.running();
    try (TestServer server = TestServer.start(kind, c -> c, b -> b.clock(clock));
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.answerByDefault(Answer.status(500));
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      publish(api, "{\"n\":0}");
      Instant between = clock.instant().plus(Duration.ofHours(1));
      clock.advance(Duration.ofHours(2));
      publish(api, "{\"n\":1}");
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "failed") == 2);

      ApiClient.Answer badDate =
          api.postForm("/v2/webhook/" + hook.id() + "/resend", Map.of("since", "yesterday"));
      assertThat(badDate.status()).isEqualTo(400);
      assertThat(badDate.json().at("/Errors/since/Error").asText()).contains("date");
      assertThat(payloads(server, hook.id(), "failed")).isEqualTo(2);

      receiver.answerByDefault(Answer.status(200));
      ApiClient.Answer resent =
          api.postForm(
              "/v2/webhook/" + hook.id() + "/resend", Map.of("since", Clocks.format(between)));

      assertThat(resent.json().get("Resent").asInt()).isEqualTo(1);
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 1);
      assertThat(payloads(server, hook.id(), "failed")).isEqualTo(1);
      Received last = receiver.received().get(receiver.received().size() - 1);
      assertThat(Deliveries.json(last.body()).at("/data/n").asInt()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void resendToADisabledWebhookHoldsThePayloadsForTheEnable(StoreKind kind) {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      receiver.answerByDefault(Answer.status(500));
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      publish(api, "{\"n\":0}");
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "failed") == 1);
      setEnabled(api, hook.id(), false);
      receiver.answerByDefault(Answer.status(200));

      api.postForm("/v2/webhook/" + hook.id() + "/resend", Map.of());
      assertThat(payloads(server, hook.id(), "held")).isEqualTo(1);
      assertThat(receiver.received()).hasSize(4);

      setEnabled(api, hook.id(), true);
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 1);
      assertThat(receiver.received()).hasSize(5);
    }
  }
}
