package io.hookwire.delivery;

import io.hookwire.core.AttemptRecord;
import io.hookwire.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes attempts to the store in group commits: one transaction takes everything that finished
 * since the last one, so the store's commit rate, not the delivery rate, bounds the log.
 */
final class Recorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Recorder.class);

  /** Rows per transaction at most: keeps each commit short on both stores. */
  private static final int MAX_GROUP = 2_000;

  private final Store store;
  private final IntConsumer onRecorded;
  private final BlockingQueue<AttemptRecord> queue;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param maxWaiting attempts waiting for their commit at most: {@link #add} waits past it
   * @param onRecorded told how many attempts each commit made durable
   */
  Recorder(Store store, int maxWaiting, IntConsumer onRecorded) {
    this.store = store;
    this.queue = new LinkedBlockingQueue<>(maxWaiting);
    this.onRecorded = onRecorded;
    this.thread = Thread.ofPlatform().name("hookwire-recorder").daemon().start(this::run);
  }

  /**
   * Queues attempts for a commit, waiting while the most allowed already wait. Interrupted (the
   * node is stopping), it queues no more: their payloads are sent again when their leases end.
   */
  void add(List<AttemptRecord> attempts) {
    try {
      for (AttemptRecord a : attempts) {
        queue.put(a);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("stopping: attempts left unrecorded; their payloads are sent again after the lease");
    }
  }

  private void run() {
    List<AttemptRecord> group = new ArrayList<>(MAX_GROUP);
    while (running || !queue.isEmpty()) {
      try {
        AttemptRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        commit(group);
        onRecorded.accept(group.size());
        group.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Retries until the store takes the group: these attempts happened and must be kept. */
  private void commit(List<AttemptRecord> group) throws InterruptedException {
    Duration backoff = Duration.ofMillis(100);
    while (true) {
      try {
        store.record(group);
        return;
      } catch (RuntimeException e) {
        if (!running) {
          // Shutting down: the leases will expire and the payloads be sent again.
          log.warn("could not record {} attempts at shutdown: {}", group.size(), e.toString());
          return;
        }
        log.warn("recording {} attempts failed, retrying in {}", group.size(), backoff, e);
        Thread.sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : backoff.multipliedBy(2);
      }
    }
  }

  /** Records what is queued, then stops. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
