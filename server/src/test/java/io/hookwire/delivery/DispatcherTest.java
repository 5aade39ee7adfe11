package io.hookwire.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.core.Account;
import io.hookwire.core.Ids;
import io.hookwire.core.PayloadState;
import io.hookwire.core.RetrySchedule;
import io.hookwire.security.ApiKeys;
import io.hookwire.security.SecretBox;
import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import io.hookwire.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher's decisions on their own: a {@link Sender} that answers what the test says, a
 * standing clock, a real SQLite store, no sockets.
 */
class DispatcherTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Store store;
  private SecretBox secrets;
  private Account account;
  private Dispatcher dispatcher;
  private final TestClock clock = TestClock.standing();

  /** Requests as the sender saw them: their headers. */
  private final List<Map<String, String>> sent = Collections.synchronizedList(new ArrayList<>());

  /** Status codes to answer, in order; 200 once they run out. */
  private final Queue<Integer> answers = new ConcurrentLinkedQueue<>();

  /** Held until the test releases it: a request still on the wire. */
  private volatile CountDownLatch onTheWire = new CountDownLatch(0);

  private final Sender sender =
      (url, headers, body) -> {
        sent.add(headers);
        try {
          onTheWire.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        int code = Optional.ofNullable(answers.poll()).orElse(200);
        return new Reply(code, null, "status " + code, 1_000);
      };

  @BeforeEach
  void open() {
    store = Stores.open(Optional.empty(), dir, 2);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    secrets = SecretBox.of(key);
    account = store.createAccount("acme", ApiKeys.hash("key"), clock.instant());
  }

  @AfterEach
  void close() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    store.close();
  }

  private void start(RetrySchedule schedule, int concurrency) {
    dispatcher =
        new Dispatcher(
            store,
            sender,
            secrets,
            clock,
            new Dispatcher.Settings(
                schedule,
                concurrency,
                Dispatcher.MAX_IN_FLIGHT,
                Dispatcher.MAX_UNRECORDED,
                Dispatcher.CLAIM_LIMIT,
                Duration.ofMinutes(2),
                Duration.ofSeconds(5),
                Duration.ofMillis(5)),
            new SimpleMeterRegistry());
  }

  private String webhook() {
    return webhook(null);
  }

  /**
   * @param sealed the stored secret, or null to seal one for the new row
   */
  private String webhook(String sealed) {
    String id = Ids.WEBHOOK.next();
    return Deliveries.insertWebhook(
        store,
        account.id(),
        id,
        sealed != null
            ? sealed
            : secrets.seal("s3cret", SecretBox.webhookBinding(account.id(), id)),
        clock.instant());
  }

  /** Stored pending, as a publish past the lanes' room leaves them: the claim finds them. */
  private void publish(int events) {
    Deliveries.publishToStore(store, account.id(), events, clock.instant());
  }

  private long payloads(String webhookId, PayloadState state) {
    return store.countPayloads(account.id(), webhookId, state);
  }

  @Test
  void aTwoHundredDeliversTheSignedPayloadAndLogsTheAttempt() {
    String hook = webhook();
    start(RetrySchedule.REFERENCE, 16);

    publish(1);

    await().atMost(PATIENCE).until(() -> payloads(hook, PayloadState.delivered) == 1);
    assertThat(sent)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h).containsEntry("X-Oktopost-Webhook", hook);
              assertThat(h).containsKeys("X-Oktopost-Secret", "webhook-id", "webhook-signature");
            });
    assertThat(store.log(account.id(), hook, 0, 20).items())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.responseCode()).isEqualTo(200);
              assertThat(entry.attempt()).isEqualTo(1);
            });
  }

  @Test
  void aFailureWaitsForItsRetryOnTheClockThenGivesUpWhenTheScheduleIsUsedUp() {
    String hook = webhook();
    answers.addAll(List.of(500, 503));
    start(RetrySchedule.parse("10s"), 16);

    publish(1);

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                payloads(hook, PayloadState.pending) == 1
                    && store.log(account.id(), hook, 0, 20).total() == 1);
    // Not due until the clock has moved 10 s: the standing clock keeps it waiting.
    assertThat(sent).hasSize(1);

    clock.advance(Duration.ofSeconds(10));

    await().atMost(PATIENCE).until(() -> payloads(hook, PayloadState.failed) == 1);
    assertThat(sent).hasSize(2);
    assertThat(store.log(account.id(), hook, 0, 20).items())
        .extracting(e -> e.attempt() + ":" + e.responseCode())
        .containsExactlyInAnyOrder("1:500", "2:503");
  }

  @Test
  void closingFinishesTheRequestOnTheWireAndGivesBackWhatWasNotSent() throws Exception {
    String hook = webhook();
    onTheWire = new CountDownLatch(1);
    start(RetrySchedule.REFERENCE, 1);
    publish(3);
    await().atMost(PATIENCE).until(() -> sent.size() == 1);

    Thread closing = Thread.ofVirtual().start(dispatcher::close);
    // Waiting for the request on the wire: no further batch will be taken.
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                closing.getState() == Thread.State.TIMED_WAITING
                    || closing.getState() == Thread.State.WAITING);
    onTheWire.countDown();
    closing.join(PATIENCE);
    dispatcher = null;

    assertThat(sent).hasSize(1);
    assertThat(payloads(hook, PayloadState.delivered)).isEqualTo(1);
    assertThat(payloads(hook, PayloadState.pending)).isEqualTo(2);
    assertThat(payloads(hook, PayloadState.in_flight)).isZero();
  }

  @Test
  void aSealedSecretCopiedOntoAnotherWebhookDoesNotSignItsDeliveries() {
    String original = webhook();
    start(RetrySchedule.parse("1h"), 16);
    publish(1);
    await().atMost(PATIENCE).until(() -> payloads(original, PayloadState.delivered) == 1);

    // The original's secret, opened once already, copied onto another row as stored.
    String sealed = store.findWebhook(account.id(), original).orElseThrow().secretSealed();
    String copy = webhook(sealed);
    publish(1);

    await().atMost(PATIENCE).until(() -> store.log(account.id(), copy, 0, 20).total() == 1);
    assertThat(store.log(account.id(), copy, 0, 20).items())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.responseCode()).isZero();
              assertThat(entry.error()).contains("cannot decrypt the webhook secret");
            });
    assertThat(sent).noneMatch(h -> copy.equals(h.get("X-Oktopost-Webhook")));
  }
}
