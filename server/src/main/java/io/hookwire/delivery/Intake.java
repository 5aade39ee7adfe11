package io.hookwire.delivery;

import io.hookwire.core.NewEvent;
import io.hookwire.core.PublishedEvent;
import io.hookwire.store.Publication;
import io.hookwire.store.Published;
import io.hookwire.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The front of the pipeline: stores what producers publish in group commits and hands the payloads
 * leased at publish to the dispatcher.
 *
 * <p>Publishes wait in a queue; each writer takes everything queued (up to {@link #MAX_GROUP}
 * events) into one transaction, so a thousand single publishes a second are tens of commits, not a
 * thousand. A publish still returns only once its transaction has committed.
 */
public final class Intake implements AutoCloseable {
  /** Events per transaction at most: as many as one {@code POST /v2/events} may carry. */
  static final int MAX_GROUP = 1_000;

  /**
   * Events waiting for their transaction at most. Past it a publish is refused at once (503 with
   * Retry-After) instead of queueing: a producer faster than the store for long would otherwise
   * fill the heap with waiting requests. 5,000: five full batches, or one to two seconds of single
   * publishes at what one node of the reference machine takes (docs/performance.md); a producer
   * waiting longer is better told to back off.
   */
  static final int MAX_WAITING = 5_000;

  /** The store is behind: this publish was not stored; the producer should retry it shortly. */
  public static final class BusyException extends RuntimeException {
    BusyException() {
      super("publishing is behind the store; retry shortly", null, false, false);
    }
  }

  private record Waiting(Publication publication, CompletableFuture<List<PublishedEvent>> done) {}

  private final Store store;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final Duration idempotencyWindow;
  private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger waitingEvents = new AtomicInteger();
  private final Counter transactions;
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * @param writers transactions at once: 1 for SQLite (one writer at a time anyway), a few for
   *     PostgreSQL
   */
  public Intake(
      Store store,
      Dispatcher dispatcher,
      Clock clock,
      Duration idempotencyWindow,
      int writers,
      MeterRegistry metrics) {
    this.store = store;
    metrics.gauge("hookwire.publish.waiting", waitingEvents);
    this.transactions =
        Counter.builder("hookwire.publish.transactions")
            .description("Transactions that stored published events, each a group of publishes")
            .register(metrics);
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.idempotencyWindow = idempotencyWindow;
    for (int i = 0; i < writers; i++) {
      this.writers.add(Thread.ofPlatform().name("hookwire-intake-" + i).daemon().start(this::run));
    }
  }

  /**
   * Stores one account's events with their payloads, durably, and returns them once committed.
   *
   * @throws RuntimeException what the store threw
   */
  public List<PublishedEvent> publish(String accountId, List<NewEvent> events) {
    if (!running) {
      throw new IllegalStateException("shutting down");
    }
    if (waitingEvents.addAndGet(events.size()) > MAX_WAITING) {
      waitingEvents.addAndGet(-events.size());
      throw new BusyException();
    }
    Waiting w = new Waiting(new Publication(accountId, events), new CompletableFuture<>());
    queue.add(w);
    try {
      return w.done().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void run() {
    Waiting carried = null;
    while (running || !queue.isEmpty() || carried != null) {
      try {
        Waiting first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
        carried = null;
        if (first == null) {
          continue;
        }
        List<Waiting> group = new ArrayList<>();
        group.add(first);
        int events = first.publication().events().size();
        for (Waiting next; events < MAX_GROUP && (next = queue.poll()) != null; ) {
          if (events + next.publication().events().size() > MAX_GROUP) {
            carried = next;
            break;
          }
          group.add(next);
          events += next.publication().events().size();
        }
        commit(group);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void commit(List<Waiting> group) {
    try {
      store(group);
    } finally {
      waitingEvents.addAndGet(-group.stream().mapToInt(w -> w.publication().events().size()).sum());
    }
  }

  private void store(List<Waiting> group) {
    Published published;
    try {
      published =
          store.publish(
              group.stream().map(Waiting::publication).toList(),
              clock.instant(),
              idempotencyWindow,
              dispatcher.liveLeases());
      transactions.increment();
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        group.get(0).done().completeExceptionally(e);
      } else {
        // One publication may be what failed: each alone, so the others are stored.
        group.forEach(w -> store(List.of(w)));
      }
      return;
    }
    dispatcher.handOver(published.leased());
    for (int i = 0; i < group.size(); i++) {
      group.get(i).done().complete(published.events().get(i));
    }
  }

  /** Stores what is queued, then stops. */
  @Override
  public void close() {
    running = false;
    for (Thread t : writers) {
      try {
        t.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Waiting w; (w = queue.poll()) != null; ) {
      w.done().completeExceptionally(new IllegalStateException("shutting down"));
    }
  }
}
