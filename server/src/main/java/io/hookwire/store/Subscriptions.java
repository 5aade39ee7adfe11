package io.hookwire.store;

import io.hookwire.core.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The webhooks each account has subscribed to each event type, as a publish needs them, kept for a
 * few seconds: a producer publishing thousands of events a second would otherwise read the same
 * rows for every one.
 *
 * <p>A change to an account's webhooks made through this store forgets that account at once; a
 * change made by another node is seen when that node's notification arrives (PostgreSQL) or at the
 * latest after {@link #LIFE}.
 */
final class Subscriptions {
  /**
   * 5 s: how stale a node's view of another node's webhook change may get when the notification is
   * lost (docs/operations.md). Short enough that an operator never waits on it.
   */
  static final Duration LIFE = Duration.ofSeconds(5);

  /** Accounts kept at most; past it the cache starts over, as a bound on memory. */
  private static final int MAX_ACCOUNTS = 10_000;

  /** A webhook subscribed to an event type, with what sending to it needs. */
  record Subscriber(
      String webhookId,
      boolean enabled,
      String url,
      String secretSealed,
      Optional<String> previousSecretSealed,
      Optional<Instant> previousSecretUntil,
      Optional<String> retrySchedule,
      int batchSize) {}

  private record Entry(List<Subscriber> subscribers, long loadedNanos) {}

  private final Map<String, Map<EventType, Entry>> byAccount = new ConcurrentHashMap<>();

  /** Moves on with every change, so that a load that raced a change is not kept. */
  private final AtomicLong generation = new AtomicLong();

  List<Subscriber> get(String accountId, EventType type, Supplier<List<Subscriber>> load) {
    long now = System.nanoTime();
    Map<EventType, Entry> ofAccount = byAccount.get(accountId);
    Entry entry = ofAccount == null ? null : ofAccount.get(type);
    if (entry != null && now - entry.loadedNanos() < LIFE.toNanos()) {
      return entry.subscribers();
    }
    long before = generation.get();
    List<Subscriber> loaded = List.copyOf(load.get());
    if (generation.get() == before) {
      if (byAccount.size() >= MAX_ACCOUNTS) {
        byAccount.clear();
      }
      byAccount
          .computeIfAbsent(accountId, a -> new ConcurrentHashMap<>())
          .put(type, new Entry(loaded, now));
    }
    return loaded;
  }

  /** Another node's changes may have been missed. */
  void forgetAll() {
    generation.incrementAndGet();
    byAccount.clear();
  }

  /** The account's webhooks changed. */
  void forget(String accountId) {
    generation.incrementAndGet();
    byAccount.remove(accountId);
  }
}
