package io.hookwire.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.core.Account;
import io.hookwire.core.AttemptRecord;
import io.hookwire.core.Claim;
import io.hookwire.core.Ids;
import io.hookwire.core.LogEntry;
import io.hookwire.core.PayloadState;
import io.hookwire.security.ApiKeys;
import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import io.hookwire.testing.LogCapture;
import io.hookwire.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder on its own: attempts handed to it reach a real SQLite store in group commits, each
 * commit reported once it is durable, and none is lost to a store that refuses a commit for a
 * while, to a full queue or to closing. No sender, no sockets: the attempts are made here from
 * payloads claimed from the store, on a standing clock.
 */
class RecorderTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final Duration LEASE = Duration.ofMinutes(2);

  @TempDir Path dir;
  private Store store;
  private Account account;
  private Recorder recorder;
  private final TestClock clock = TestClock.standing();

  /** The size of each commit, as the recorder reported it. */
  private final BlockingQueue<Integer> commits = new LinkedBlockingQueue<>();

  /**
   * Closed, the recorder waits after reporting a commit, as if the commit were still running: what
   * is added meanwhile queues for the next one.
   */
  private volatile CountDownLatch gate = new CountDownLatch(0);

  @BeforeEach
  void open() {
    store = Stores.open(Optional.empty(), dir, 2);
    account = store.createAccount("acme", ApiKeys.hash("key"), clock.instant());
  }

  @AfterEach
  void close() {
    gate.countDown();
    if (recorder != null) {
      recorder.close();
    }
    store.close();
  }

  private void start(int maxWaiting) {
    recorder = new Recorder(store, maxWaiting, this::recorded);
  }

  private void recorded(int attempts) {
    commits.add(attempts);
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the next commit the recorder reports, and returns its size. */
  private int nextCommit() throws InterruptedException {
    Integer size = commits.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(size).as("a commit reported within " + PATIENCE).isNotNull();
    return size;
  }

  /** Waits until commits of {@code attempts} in all were reported, and returns their sizes. */
  private List<Integer> commitsOf(int attempts) throws InterruptedException {
    List<Integer> sizes = new ArrayList<>();
    while (sizes.stream().mapToInt(Integer::intValue).sum() < attempts) {
      sizes.add(nextCommit());
    }
    return sizes;
  }

  /** Awaitility polling every millisecond: the conditions here come true within milliseconds. */
  private static ConditionFactory soon() {
    return await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
  }

  private String webhook() {
    return Deliveries.insertWebhook(
        store, account.id(), Ids.WEBHOOK.next(), "sealed", clock.instant());
  }

  /** Publishes {@code events} events and leases their payloads, as the dispatcher's claim does. */
  private List<Claim> leased(int events) {
    Deliveries.publishToStore(store, account.id(), events, clock.instant());
    return claim();
  }

  private List<Claim> claim() {
    return store.claim(1_000, 1_000, Set.of(), clock.instant(), clock.instant().plus(LEASE));
  }

  private static Claim of(List<Claim> claims, String webhookId) {
    return claims.stream().filter(c -> c.webhookId().equals(webhookId)).findFirst().orElseThrow();
  }

  private static AttemptRecord attempt(
      Claim c, String logId, int code, PayloadState next, Instant at, Instant dueAt) {
    return new AttemptRecord(
        c.accountId(),
        c.payloadId(),
        c.webhookId(),
        logId,
        c.attempt(),
        at,
        code,
        1_500,
        code == 0 ? "timeout" : null,
        code == 0 ? null : "status " + code,
        next,
        dueAt);
  }

  private AttemptRecord delivered(Claim c) {
    return attempt(
        c, Ids.LOG.next(), 200, PayloadState.delivered, clock.instant(), clock.instant());
  }

  private long payloads(String webhookId, PayloadState state) {
    return store.countPayloads(account.id(), webhookId, state);
  }

  private List<LogEntry> log(String webhookId) {
    return store.log(account.id(), webhookId, 0, 100).items();
  }

  @Test
  void eachOutcomeMovesItsPayloadAndIsLogged() throws Exception {
    String hook = webhook();
    List<Claim> claims = leased(3);
    Instant now = clock.instant();
    Instant retryAt = now.plusSeconds(30);
    start(Dispatcher.MAX_UNRECORDED);

    recorder.add(
        List.of(
            attempt(claims.get(0), Ids.LOG.next(), 200, PayloadState.delivered, now, now),
            attempt(claims.get(1), Ids.LOG.next(), 0, PayloadState.pending, now, retryAt),
            attempt(claims.get(2), Ids.LOG.next(), 500, PayloadState.failed, now, now)));
    commitsOf(3);

    assertThat(payloads(hook, PayloadState.delivered)).isEqualTo(1);
    assertThat(payloads(hook, PayloadState.pending)).isEqualTo(1);
    assertThat(payloads(hook, PayloadState.failed)).isEqualTo(1);
    assertThat(payloads(hook, PayloadState.in_flight)).isZero();
    assertThat(log(hook))
        .extracting(
            e -> e.payloadId() + " " + e.attempt() + " " + e.responseCode() + " " + e.error())
        .containsExactlyInAnyOrder(
            claims.get(0).payloadId() + " 1 200 null",
            claims.get(1).payloadId() + " 1 0 timeout",
            claims.get(2).payloadId() + " 1 500 null");
    // The retry is due at its time, not before, as the payload's second attempt.
    assertThat(claim()).isEmpty();
    clock.set(retryAt);
    assertThat(claim())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.payloadId()).isEqualTo(claims.get(1).payloadId());
              assertThat(c.attempt()).isEqualTo(2);
            });
  }

  @Test
  void attemptsAddedDuringACommitGoTogetherInTheNextAndEachCommitIsReportedOnceDurable()
      throws Exception {
    String hook = webhook();
    List<Claim> claims = leased(3);
    gate = new CountDownLatch(1);
    start(Dispatcher.MAX_UNRECORDED);

    recorder.add(List.of(delivered(claims.get(0))));
    assertThat(nextCommit()).isEqualTo(1);
    // Reported, so in the store, while the recorder is still held.
    assertThat(payloads(hook, PayloadState.delivered)).isEqualTo(1);
    assertThat(log(hook)).hasSize(1);

    // Two requests finish while the recorder is busy: one transaction takes both.
    recorder.add(List.of(delivered(claims.get(1))));
    recorder.add(List.of(delivered(claims.get(2))));
    gate.countDown();

    assertThat(nextCommit()).isEqualTo(2);
    assertThat(payloads(hook, PayloadState.delivered)).isEqualTo(3);
    assertThat(log(hook)).hasSize(3);
  }

  @Test
  void addWaitsWhileTheMostAllowedAttemptsWaitThenAllAreRecorded() throws Exception {
    String hook = webhook();
    List<Claim> claims = leased(4);
    gate = new CountDownLatch(1);
    start(2);
    recorder.add(List.of(delivered(claims.get(0))));
    assertThat(nextCommit()).isEqualTo(1);
    recorder.add(List.of(delivered(claims.get(1)), delivered(claims.get(2))));

    Thread adding = Thread.ofVirtual().start(() -> recorder.add(List.of(delivered(claims.get(3)))));

    // Two attempts wait already: the third waits for room, and nothing is recorded meanwhile.
    soon().until(() -> adding.getState() == Thread.State.WAITING);
    assertThat(payloads(hook, PayloadState.in_flight)).isEqualTo(3);

    gate.countDown();
    assertThat(adding.join(PATIENCE)).isTrue();
    commitsOf(3);
    assertThat(payloads(hook, PayloadState.delivered)).isEqualTo(4);
  }

  @Test
  void addInterruptedWhileWaitingQueuesNothingMoreAndKeepsTheInterrupt() throws Exception {
    String hook = webhook();
    List<Claim> claims = leased(4);
    gate = new CountDownLatch(1);
    start(1);
    recorder.add(List.of(delivered(claims.get(0))));
    assertThat(nextCommit()).isEqualTo(1);
    recorder.add(List.of(delivered(claims.get(1))));

    AtomicBoolean interruptKept = new AtomicBoolean();
    try (LogCapture logs = new LogCapture(Recorder.class)) {
      Thread stopping =
          Thread.ofVirtual()
              .start(
                  () -> {
                    recorder.add(List.of(delivered(claims.get(2)), delivered(claims.get(3))));
                    interruptKept.set(Thread.currentThread().isInterrupted());
                  });
      soon().until(() -> stopping.getState() == Thread.State.WAITING);
      stopping.interrupt();
      assertThat(stopping.join(PATIENCE)).isTrue();

      assertThat(interruptKept).isTrue();
      assertThat(logs.messages()).anyMatch(m -> m.contains("attempts left unrecorded"));
    }

    gate.countDown();
    recorder.close();
    // What was queued is recorded; the other two stay leased, to be sent again when it ends.
    assertThat(commits).containsExactly(1);
    assertThat(payloads(hook, PayloadState.delivered)).isEqualTo(2);
    assertThat(payloads(hook, PayloadState.in_flight)).isEqualTo(2);
  }

  @Test
  void aCommitTheStoreRefusesIsRetriedUntilItIsTaken() throws Exception {
    Refusal r = refusal();

    try (LogCapture logs = new LogCapture(Recorder.class)) {
      // The same log id again: the store refuses the transaction while that entry exists.
      addRefused(r);
      soon().until(() -> logs.messages().stream().anyMatch(m -> m.contains("failed, retrying")));
      assertThat(payloads(r.refused(), PayloadState.in_flight)).isEqualTo(1);
      assertThat(commits).isEmpty();

      // The entry in the way goes; the next try is taken.
      assertThat(store.deleteWebhook(account.id(), r.recorded())).isTrue();
      assertThat(nextCommit()).isEqualTo(1);
    }
    assertThat(payloads(r.refused(), PayloadState.delivered)).isEqualTo(1);
    assertThat(log(r.refused())).extracting(LogEntry::id).containsExactly(r.logId());
  }

  @Test
  void closingWhileTheStoreRefusesGivesUpTheCommitAndLeavesThePayloadLeased() throws Exception {
    Refusal r = refusal();

    try (LogCapture logs = new LogCapture(Recorder.class)) {
      addRefused(r);
      soon().until(() -> logs.messages().stream().anyMatch(m -> m.contains("failed, retrying")));

      recorder.close();

      assertThat(logs.messages())
          .anyMatch(m -> m.contains("could not record 1 attempts at shutdown"));
    }
    // Its lease ends and it is sent again: the attempt that was not recorded did not happen.
    assertThat(payloads(r.refused(), PayloadState.in_flight)).isEqualTo(1);
    assertThat(log(r.refused())).isEmpty();
  }

  /**
   * Two webhooks' payloads leased, the first's attempt recorded under {@code logId}. {@link
   * #addRefused} adds the second's under the same log id, which the store refuses while the first
   * entry exists.
   */
  private record Refusal(String recorded, String refused, Claim second, String logId) {}

  private void addRefused(Refusal r) {
    Instant now = clock.instant();
    recorder.add(List.of(attempt(r.second(), r.logId(), 200, PayloadState.delivered, now, now)));
  }

  private Refusal refusal() throws Exception {
    String recorded = webhook();
    String refused = webhook();
    List<Claim> claims = leased(1);
    start(Dispatcher.MAX_UNRECORDED);
    String logId = Ids.LOG.next();
    Instant now = clock.instant();
    recorder.add(
        List.of(attempt(of(claims, recorded), logId, 200, PayloadState.delivered, now, now)));
    assertThat(nextCommit()).isEqualTo(1);
    return new Refusal(recorded, refused, of(claims, refused), logId);
  }

  @Test
  void closingRecordsWhatIsQueuedBeforeItReturns() throws Exception {
    String hook = webhook();
    List<Claim> claims = leased(3);
    gate = new CountDownLatch(1);
    start(Dispatcher.MAX_UNRECORDED);
    recorder.add(List.of(delivered(claims.get(0))));
    assertThat(nextCommit()).isEqualTo(1);
    recorder.add(List.of(delivered(claims.get(1)), delivered(claims.get(2))));

    Thread closing = Thread.ofVirtual().start(recorder::close);
    // Still waiting for the recorder, which is held with two attempts queued.
    soon()
        .until(
            () ->
                closing.getState() == Thread.State.TIMED_WAITING
                    || closing.getState() == Thread.State.WAITING);
    gate.countDown();
    assertThat(closing.join(PATIENCE)).isTrue();

    assertThat(commits).containsExactly(2);
    assertThat(payloads(hook, PayloadState.delivered)).isEqualTo(3);
    assertThat(payloads(hook, PayloadState.in_flight)).isZero();
  }
}
