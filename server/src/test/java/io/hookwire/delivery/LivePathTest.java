package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.payloads;
import static io.hookwire.delivery.Deliveries.publish;
import static io.hookwire.delivery.Deliveries.publishNumbered;
import static io.hookwire.delivery.Deliveries.setEnabled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.delivery.Deliveries.Hook;
import io.hookwire.store.SqliteStore;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Answer;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live path (docs/proposals/0002-lease-at-publish.md): a publish stores the payloads of enabled
 * webhooks already leased to its node and hands them to the lanes after the commit, so a delivery
 * needs no claim; what does not fit in a lane waits in the store and follows, oldest first.
 */
class LivePathTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** Long enough that nothing in a test is found by polling: only the live path or a wake-up. */
  private static final Duration NO_POLLING = Duration.ofHours(1);

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void publishedPayloadIsSentAtOnceWithoutPollingForIt(StoreKind kind) {
    try (TestServer server = TestServer.start(kind, c -> c, b -> b.pollInterval(NO_POLLING));
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      // Slow, so the payload is seen on its way: leased by the publish itself.
      receiver.answerByDefault(Answer.after(Duration.ofMillis(500), 200));

      publish(api, "{\"n\":1}");

      assertThat(payloads(server, hook.id(), "in_flight")).isEqualTo(1);
      assertThat(payloads(server, hook.id(), "pending")).isZero();
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 1);
      assertThat(receiver.received()).hasSize(1);
      assertThat(Deliveries.log(api, hook.id()).at("/Items/0/Attempt").asInt()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void payloadsBeyondTheLanesRoomWaitInTheStoreAndAreSentWhenThereIsRoom(StoreKind kind) {
    // One request at a time: its lane holds 32 payloads.
    try (TestServer server = oneRequestAtATimeWithoutPolling(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      receiver.answerByDefault(Answer.after(Duration.ofMillis(5), 200));

      publishNumbered(api, 200);

      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 200);
      List<Integer> numbers =
          receiver.received().stream()
              .map(r -> Deliveries.json(r.body()).at("/data/n").asInt())
              .toList();
      assertThat(numbers).hasSize(200).doesNotHaveDuplicates();
    }
  }

  // A lane that spilled is claimed for until it is full again, not only once it is half empty:
  // otherwise a producer that keeps more than half a lane outstanding keeps the lane spilled for
  // good, and every later payload of the webhook goes through the store and the claim.
  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aSpilledLaneIsClaimedForUntilItIsFull(StoreKind kind) {
    try (TestServer server = oneRequestAtATimeWithoutPolling(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      // Slow enough that the lane keeps its smallest size, 32 rounds of one request.
      receiver.answerByDefault(Answer.after(Duration.ofMillis(300), 200));

      publishNumbered(api, 100);
      assertThat(payloads(server, hook.id(), "in_flight")).isEqualTo(32);
      assertThat(payloads(server, hook.id(), "pending")).isEqualTo(68);

      // The first answer leaves room for one more: the claim comes at once, with half a lane.
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "in_flight"), n -> n > 32);
      receiver.answerByDefault(Answer.after(Duration.ZERO, 200));
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 100);
      assertThat(leased(server, "live")).isEqualTo(32);
      assertThat(leased(server, "claim")).isEqualTo(68);
    }
  }

  /** A server that sends each webhook one request at a time (a lane of 32) and never polls. */
  private static TestServer oneRequestAtATimeWithoutPolling(StoreKind kind) {
    return TestServer.start(
        kind,
        c -> ConfigEditor.of(c).concurrencyPerWebhook(1).build(),
        b -> b.pollInterval(NO_POLLING));
  }

  private static double leased(TestServer server, String path) {
    return metric(server, "hookwire_payloads_leased_total{path=\"" + path + "\"}");
  }

  // Many webhooks waiting in the store share each claim, so each gets less than half its lane and
  // never wakes the claim by falling below half: the next claims must still come without a poll.
  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void manyWebhooksOverflowingTogetherAreAllSentWithoutPolling(StoreKind kind) {
    try (TestServer server = oneRequestAtATimeWithoutPolling(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      List<Hook> hooks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        hooks.add(createWebhook(api, receiver.url("/hook/" + i)));
      }
      receiver.answerByDefault(Answer.after(Duration.ofMillis(1), 200));

      publishNumbered(api, 100);

      for (Hook hook : hooks) {
        await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 100);
      }
      assertThat(receiver.received()).hasSize(2_000);
    }
  }

  // A node holds in memory a bounded number of payloads and of characters of event data; every way
  // a payload leaves the lanes (sent, or given back when its webhook changed) must give back both,
  // or in time the node would take nothing at publish and claim nothing.
  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void payloadsLeavingTheLanesByEveryPathGiveBackWhatTheyHeld(StoreKind kind) {
    try (TestServer server =
            TestServer.start(
                kind, c -> ConfigEditor.of(c).concurrencyPerWebhook(1).build(), b -> b);
        RecordingReceiver fast = new RecordingReceiver();
        RecordingReceiver slow = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook sent = createWebhook(api, fast.url("/hook"));
      Hook changed = createWebhook(api, slow.url("/hook"));
      slow.answerByDefault(Answer.after(Duration.ofMillis(20), 200));

      // 200 each: past the 32 a lane takes at first, so some are claimed from the store.
      publishNumbered(api, 200);
      await().atMost(PATIENCE).until(() -> slow.received().size() >= 5);
      setEnabled(api, changed.id(), false);

      await().atMost(PATIENCE).until(() -> payloads(server, sent.id(), "delivered") == 200);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  payloads(server, changed.id(), "delivered")
                          + payloads(server, changed.id(), "held")
                      == 200);
      assertThat(payloads(server, changed.id(), "held")).as("given back unsent").isPositive();
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                assertThat(metric(server, "hookwire_payloads_in_flight")).isZero();
                assertThat(metric(server, "hookwire_payloads_held_data")).isZero();
              });
    }
  }

  // An attempt made but not yet in the log is made again after a crash. A recorder that cannot
  // commit (here another connection holds SQLite's write lock) must hold the deliveries back once
  // the bound of attempts waiting for it is reached, and they go on when it commits again.
  @Test
  void deliveriesWaitForTheRecorderOnceTheBoundOfUnrecordedAttemptsIsReached() throws Exception {
    int bound = 5;
    try (TestServer server =
            TestServer.start(
                StoreKind.SQLITE,
                c -> ConfigEditor.of(c).concurrencyPerWebhook(1).build(),
                b -> b.maxUnrecorded(bound));
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      receiver.answerByDefault(Answer.after(Duration.ofMillis(20), 200));
      try (Connection blocker =
              DriverManager.getConnection(
                  "jdbc:sqlite:" + server.dataDir.resolve(SqliteStore.FILE_NAME));
          Statement s = blocker.createStatement()) {
        // 30 fit in the lane (32 at one request at a time): all are sent from memory.
        publishNumbered(api, 30);
        s.execute("BEGIN IMMEDIATE");
        long recorded = Deliveries.log(api, hook.id()).path("Total").asLong();

        // Waiting: at most `bound` queued, a group as large in the recorder's hands, and the
        // attempt of the request that waits to queue it.
        await().atMost(PATIENCE).until(() -> receiver.received().size() >= recorded + bound);
        await()
            .during(Duration.ofMillis(300))
            .atMost(PATIENCE)
            .until(() -> receiver.received().size() <= recorded + 2 * bound + 1);
        s.execute("ROLLBACK");
      }
      await().atMost(PATIENCE).until(() -> payloads(server, hook.id(), "delivered") == 30);
      assertThat(receiver.received()).hasSize(30);
    }
  }

  // Each POST /v2/event waits for its transaction; those that arrive while one commits share the
  // next one, so a producer sending events one by one is not held to one commit per event.
  @Test
  void singlePublishesArrivingTogetherShareOneTransaction() throws Exception {
    try (TestServer server = TestServer.start(StoreKind.SQLITE);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      createWebhook(api, receiver.url("/hook"));
      double before = transactions(server);
      int events = 50;
      List<Future<ApiClient.Answer>> answers = new ArrayList<>();
      // Another connection holds SQLite's write lock, so the publishes queue meanwhile.
      try (Connection blocker =
              DriverManager.getConnection(
                  "jdbc:sqlite:" + server.dataDir.resolve(SqliteStore.FILE_NAME));
          Statement s = blocker.createStatement();
          ExecutorService producers = Executors.newVirtualThreadPerTaskExecutor()) {
        s.execute("BEGIN IMMEDIATE");
        for (int n = 0; n < events; n++) {
          String body = "{\"event\":\"newLead\",\"data\":{\"n\":" + n + "}}";
          answers.add(producers.submit(() -> api.postJson("/v2/event", body)));
        }
        await().atMost(PATIENCE).until(() -> metric(server, "hookwire_publish_waiting") == events);
        s.execute("ROLLBACK");
        for (Future<ApiClient.Answer> answer : answers) {
          assertThat(answer.get().status()).isEqualTo(200);
        }
      }
      // The first publish may have started its transaction alone; all others wait for the next.
      assertThat(transactions(server) - before).isBetween(1.0, 2.0);
      await().atMost(PATIENCE).until(() -> receiver.received().size() == events);
    }
  }

  private static double transactions(TestServer server) {
    return metric(server, "hookwire_publish_transactions_total");
  }

  private static double metric(TestServer server, String name) {
    String text = new ApiClient(server.baseUrl(), null, null).get("/metrics").text();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
    assertThat(m.find()).as(name + " in " + text).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
